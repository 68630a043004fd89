// promote-forge-sim: a STAND-IN forge for tests and demos (not a real forge).
//   promote-forge-sim --repos DIR --flavour github|gitlab|gitea|bitbucket [--port 0] [--host 127.0.0.1]
//                     [--token T] [--record FILE.jsonl] [--rate-limit N] [--no-pagination-headers]
//                     [--max-page-size N] [--ignore-list-filters]
// Project `acme/gitops` is served from the bare repository DIR/acme/gitops.git.
import ForgeSim
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("promote-forge-sim: \(message)\n".utf8))
    exit(64)
}

var repos: String?
var flavour = ForgeSimFlavour.github
var port = 0
var host = "127.0.0.1"
var token: String?
var record: String?
var rateLimit = 5000
var paginationHeaders = true
var maxPageSize: Int?
var honourFilters = true
var args = CommandLine.arguments.dropFirst()
while let arg = args.popFirst() {
    func value() -> String {
        guard let v = args.popFirst() else { fail("\(arg) needs a value") }
        return v
    }
    switch arg {
    case "--repos": repos = value()
    case "--flavour", "--flavor":
        let v = value()
        guard let f = ForgeSimFlavour(rawValue: v) else { fail("unknown flavour \(v) (github, gitlab, gitea, bitbucket)") }
        flavour = f
    case "--port": port = Int(value()) ?? -1
    case "--host": host = value()
    case "--token": token = value()
    case "--record": record = value()
    case "--rate-limit": rateLimit = Int(value()) ?? 5000
    case "--no-pagination-headers": paginationHeaders = false
    case "--max-page-size": maxPageSize = Int(value())
    case "--ignore-list-filters": honourFilters = false
    case "-h", "--help":
        print("""
            usage: promote-forge-sim --repos DIR --flavour github|gitlab|gitea|bitbucket [--port 0] [--token T]
                                     [--record FILE.jsonl] [--rate-limit N] [--no-pagination-headers]
                                     [--max-page-size N] [--ignore-list-filters]
            A stand-in forge (not a real one) on loopback. Project acme/gitops is DIR/acme/gitops.git.
            Control API under /_sim/ (faults, seed, pulls, merge/close as a person, labels): see docs/forges.md.
            """)
        exit(0)
    default: fail("unknown argument \(arg)")
    }
}
guard let repos else { fail("--repos DIR is required") }
guard (0...65535).contains(port) else { fail("--port must be 0..65535") }
guard host == "127.0.0.1" || host == "localhost" || host == "::1" else { fail("the stand-in listens on loopback only") }

let config = ForgeSimConfiguration(flavour: flavour, repositories: repos, host: host, port: port, token: token,
                                   recordPath: record, rateLimit: rateLimit, paginationHeaders: paginationHeaders,
                                   maxPageSize: maxPageSize, honourListFilters: honourFilters)
let shownHost = host, shownFlavour = flavour
do {
    try await ForgeSimServer.run(config) { bound in
        let api = "http://\(shownHost):\(bound)\(shownFlavour.apiPrefix)"
        let line = "promote-forge-sim (a stand-in forge, not a real one): \(shownFlavour.rawValue) on port \(bound), api \(api)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
} catch {
    fail("\(error)")
}

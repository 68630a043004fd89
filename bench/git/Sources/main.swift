// bench-git: the bot's git transport against the git CLI on one generated repository served over smart HTTP.
// Usage: swift run -c release bench-git [--files 20000] [--commits 10000] [--rounds 5] [--keep]
import Foundation
import GitOpsRepo
import Promotion
import TestSupport

func argument(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) { return v }
    return fallback
}

let files = argument("--files", 20_000)
let commits = argument("--commits", 10_000)
let rounds = argument("--rounds", 5)
let keep = CommandLine.arguments.contains("--keep")

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func secondsAsync(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

func path(_ i: Int) -> String { String(format: "apps/team-%03d/model-%03d/deployment.yaml", i / 100, i % 100) }

/// A fast-import stream: one commit adding `files` files, then `commits - 1` commits changing one file each.
func fastImportStream() -> Data {
    var out = Data()
    func emit(_ s: String) { out.append(contentsOf: s.utf8) }
    func data(_ s: String) { emit("data \(s.utf8.count)\n\(s)\n") }
    var time = 1_700_000_000
    emit("commit refs/heads/main\ncommitter Seed <seed@example.com> \(time) +0000\n")
    data("seed \(files) files\n")
    for i in 0..<files {
        emit("M 100644 inline \(path(i))\n")
        data("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: model-\(i)\ndata:\n  version: \"0\"\n")
    }
    for c in 1..<commits {
        time += 60
        let i = (c * 7919) % files
        emit("commit refs/heads/main\ncommitter Seed <seed@example.com> \(time) +0000\n")
        data("update model \(i) to \(c)\n")
        emit("M 100644 inline \(path(i))\n")
        data("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: model-\(i)\ndata:\n  version: \"\(c)\"\n")
    }
    return out
}

let scratch = try GitScratch("bench-git")
let fixtures = GitFixtures(root: scratch.sub("srv"))
let git = fixtures.git
print("bench-git: \(files) files, \(commits) commits, \(rounds) rounds, in \(scratch.path)")

let upstream = try fixtures.emptyBare("ops.git")
let generate = try seconds {
    try git.run(["fast-import", "--quiet"], in: upstream, input: fastImportStream())
    try git.run(["gc", "-q"], in: upstream)
}
let packBytes = try git.line(["count-objects", "-v"], in: upstream)
print(String(format: "generated in %.1f s (%@)", generate, packBytes.replacingOccurrences(of: "\n", with: ", ")))

let user = "bench", password = "bench-token"
let server = try GitHTTPServer(root: fixtures.root, user: user, password: password, lifetime: 3600)
defer {
    server.stop()
    if !keep { scratch.remove() }
}
let cliURL = server.url("ops.git", user: user, password: password)

// (a) git clone with the CLI.
let clone = scratch.sub("cli-clone")
let a = try seconds { try git.run(["clone", "-q", cliURL, clone]) }

// (b) the bot's first mirror.
let env = ["PROMOTE_GIT_USER": user, "PROMOTE_GIT_TOKEN": password]
let config = GitRepositoryConfig(
    url: server.url("ops.git"), credentials: .https(usernameEnv: "PROMOTE_GIT_USER", passwordEnv: "PROMOTE_GIT_TOKEN"),
    cacheDirectory: scratch.sub("cache"), committer: Signature(name: "promote-bot", email: "bot@example.com"))
let mirror = try GitMirror(config: config, environment: env)
let b = try await secondsAsync { try await mirror.fetch() }
let rssAfterMirror = peakRSSMiB()

// (c) the bot, warm: fetch + edit one file + commit + push.  (d) the CLI minimum: fetch an up-to-date clone + push
// a prepared one-file commit. Interleaved, so each side fetches the other's last commit.
var c: [Double] = [], d: [Double] = [], cFetch: [Double] = []
for round in 1...rounds {
    let target = path((round * 104_729) % files)
    let content = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench\ndata:\n  version: \"bot-\(round)\"\n"
    let start = DispatchTime.now().uptimeNanoseconds
    try await mirror.fetch()
    let fetched = DispatchTime.now().uptimeNanoseconds
    let outcome = try await mirror.update(branch: "main", base: nil, policy: .fastForwardOnly) { snapshot in
        guard case .file = try snapshot.entry(at: target) else { return nil }
        return CommitRequest(
            message: "promote bench \(round)\n\nPromote-Model: bench\nPromote-Version: \(round)\n",
            changes: [target: Data(content.utf8)], author: Signature(name: "promote-bot", email: "bot@example.com"))
    }
    let end = DispatchTime.now().uptimeNanoseconds
    guard case .pushed = outcome else { throw GitCommandError(command: "bot update", status: -1, output: "\(outcome)") }
    c.append(Double(end - start) / 1e9)
    cFetch.append(Double(fetched - start) / 1e9)
    // Prepare the CLI's commit (untimed).
    try git.run(["pull", "-q", "--ff-only", "origin", "main"], in: clone)
    try fixtures.write("cli \(round)\n", to: clone + "/" + path((round * 7) % files))
    try git.run(["commit", "-qam", "cli \(round)"], in: clone)
    d.append(try seconds {
        try git.run(["fetch", "-q", "origin"], in: clone)
        try git.run(["push", "-q", "origin", "HEAD:main"], in: clone)
    })
}
try git.run(["fsck", "--strict", "--no-dangling"], in: upstream)
let bot = median(c), cli = median(d)
print("")
print("| measure | seconds |")
print("|---|---|")
print(String(format: "| (a) git clone (CLI, fresh, with checkout) | %.3f |", a))
print(String(format: "| (b) bot first mirror (bare, libgit2) | %.3f |", b))
print(String(format: "| (c) bot warm fetch + edit + commit + push, median of %d | %.3f |", rounds, bot))
print(String(format: "| (d) CLI fetch (up to date) + push of a prepared commit, median of %d | %.3f |", rounds, cli))
print(String(format: "| (c)/(a) | %.1f%% (target < 5%%) |", 100 * bot / a))
print(String(format: "| (c)/(d) | %.2f (target < 1.5) |", bot / cli))
print(String(format: "| bot peak RSS after first mirror / at end | %.0f MiB / %.0f MiB |", rssAfterMirror, peakRSSMiB()))
print(String(format: "(c) split: fetch %.3f s + edit/commit/push %.3f s (medians)", median(cFetch), median(zip(c, cFetch).map { $0 - $1 })))
print("rounds (c): " + c.map { String(format: "%.3f", $0) }.joined(separator: " ") + "  (d): " + d.map { String(format: "%.3f", $0) }.joined(separator: " "))

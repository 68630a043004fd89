import CurlHTTP
import ForgeSim
import Forges
import Foundation
import Promotion
import TestSupport

/// Records the waits a client asked for and returns at once, so retry tests take no wall time.
final class RecordingSleeper: ForgeSleeper, @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [Duration] = []
    var recorded: [Duration] { lock.withLock { waits } }
    func sleep(for duration: Duration) async throws { lock.withLock { waits.append(duration) } }
}

/// A stand-in forge over a fresh bare repository plus a client configured for it.
struct ForgeHarness {
    static let project = "acme/gitops"
    static let botBranch = "promote/production/jukebox"
    let server: ForgeSimServer
    let root: String
    let bare: String
    let sleeper: RecordingSleeper
    let kind: ForgeKind

    static func start(
        _ flavour: ForgeSimFlavour, log: String, token: String = "s3cret-forge-token", branches: [String] = [botBranch, "promote/production/radio"],
        tune: (inout ForgeSimConfiguration) -> Void = { _ in }
    ) async throws -> ForgeHarness {
        let root = try ForgeFixtures.temporaryDirectory("forge-\(flavour.rawValue)")
        let bare = try ForgeFixtures.makeRepository(root: root, project: project, branches: branches)
        var config = ForgeSimConfiguration(flavour: flavour, repositories: root, token: token, recordPath: ForgeFixtures.exchangeLogPath(log))
        tune(&config)
        let server = try await ForgeSimServer.start(config)
        let kind: ForgeKind = switch flavour {
        case .github: .github
        case .gitlab: .gitlab
        case .gitea: .gitea
        case .bitbucket: .bitbucket
        }
        return ForgeHarness(server: server, root: root, bare: bare, sleeper: RecordingSleeper(), kind: kind)
    }

    /// Starts a stand-in, runs `body`, and stops the stand-in (awaited) whether `body` succeeds or throws.
    static func run(
        _ flavour: ForgeSimFlavour, log: String, tune: (inout ForgeSimConfiguration) -> Void = { _ in },
        _ body: (ForgeHarness) async throws -> Void
    ) async throws {
        let h = try await start(flavour, log: log, tune: tune)
        do {
            try await body(h)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    func client(
        token: String = "s3cret-forge-token", maxAttempts: Int = 5, http: CurlOptions = CurlOptions(connectTimeout: .seconds(5), totalTimeout: .seconds(20)),
        pageSize: Int = 100
    ) -> any ForgeAdapter {
        Forges.makeClient(ForgeConfig(
            kind: kind, apiBase: server.apiBase, project: Self.project, token: token, tokenSource: "PROMOTE_FORGE_TOKEN",
            http: http, retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(200), sleeper: sleeper, random: { 0.5 }),
            pageSize: pageSize))
    }

    func stop() async {
        await server.stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    func git(_ args: String...) throws -> String { try ForgeFixtures.git(["--git-dir", bare] + args) }

    static func newPR(_ head: String = botBranch, title: String = "Promote jukebox 1.4.2 to production") -> NewPullRequest {
        NewPullRequest(title: title, body: "model jukebox 1.4.1 -> 1.4.2\n\nuri gs://models/jukebox/1.4.2", head: head, base: "main")
    }
}

internal import Foundation
internal import Hummingbird
internal import Logging
internal import NIOCore
internal import ServiceLifecycle
internal import HTTPTypes

/// The stand-in forge: GitHub, GitLab or Gitea REST endpoints on 127.0.0.1 over real bare repositories.
/// It is **not a forge**: it keeps state in memory and serves only what Promote and the official clients use.
///
/// Start it in-process (tests) with ``start(_:)`` and ``stop()``, or run `promote-forge-sim`.
public final class ForgeSimServer: Sendable {
    /// The port it listens on (the one picked when configured with 0).
    public let port: Int
    public let configuration: ForgeSimConfiguration
    private let forge: SimForge
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// `http://127.0.0.1:PORT`.
    public var origin: String { "http://\(configuration.host):\(port)" }
    /// The API base URL a client is configured with (`forge.api`): origin plus `/api/v4` or `/api/v1` (none for GitHub).
    public var apiBase: String { origin + configuration.flavour.apiPrefix }

    private init(port: Int, configuration: ForgeSimConfiguration, forge: SimForge, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.configuration = configuration
        self.forge = forge
        self.group = group
        self.task = task
    }

    /// Starts listening; returns once the port is bound.
    public static func start(_ configuration: ForgeSimConfiguration) async throws -> ForgeSimServer {
        let forge = SimForge(config: configuration)
        let (portStream, portSink) = AsyncStream<Int>.makeStream()
        let app = makeApplication(configuration, forge: forge, onRunning: { port in
            portSink.yield(port)
            portSink.finish()
        })
        var quiet = Logger(label: "promote-forge-sim")
        quiet.logLevel = .critical
        let group = ServiceGroup(services: [app], logger: quiet)
        let task = Task { try await group.run() }
        var bound: Int?
        for await p in portStream { bound = p }
        guard let port = bound else {
            task.cancel()
            _ = try? await task.value
            throw SimStartError(message: "the stand-in forge could not listen on \(configuration.host):\(configuration.port)")
        }
        await forge.setPort(port)
        return ForgeSimServer(port: port, configuration: configuration, forge: forge, group: group, task: task)
    }

    /// Runs in the foreground until SIGINT/SIGTERM (the executable). `onRunning` receives the bound port.
    public static func run(_ configuration: ForgeSimConfiguration, onRunning: @escaping @Sendable (Int) -> Void) async throws {
        let forge = SimForge(config: configuration)
        let app = makeApplication(configuration, forge: forge, onRunning: { port in
            await forge.setPort(port)
            onRunning(port)
        })
        try await app.runService()
    }

    /// Stops listening, lets requests in flight finish, and waits for the server to end.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    // MARK: Control (what a test or a person at the forge's web UI would do)

    /// Injects a fault into matching future requests.
    public func inject(_ fault: ForgeSimFault) async { await forge.addFault(fault) }
    /// Removes every pending fault.
    public func clearFaults() async { await forge.clearFaults() }
    /// Opens `count` pull requests from new branches (at `base`'s tip) named `prefix1`, `prefix2`, ...
    @discardableResult
    public func seedOpenPullRequests(project: String, count: Int, base: String = "main", prefix: String = "other/change-") async throws -> [Int] {
        try await forge.seedOpenPullRequests(project: project, count: count, base: base, prefix: prefix)
    }
    /// Every pull request of `project`, with current head/base SHAs.
    public func pullRequests(project: String) async throws -> [ForgeSimPullRequest] { try await forge.pullRequests(project: project) }
    /// Merges as a person would with the web UI.
    @discardableResult
    public func mergeAsHuman(project: String, number: Int, squash: Bool = false, by login: String = "promote-bot") async throws -> ForgeSimPullRequest {
        try await forge.humanMerge(project: project, number: number, squash: squash, by: login)
    }
    /// Closes without merging, as a person would.
    @discardableResult
    public func closeAsHuman(project: String, number: Int, by login: String = "promote-bot") async throws -> ForgeSimPullRequest {
        try await forge.humanClose(project: project, number: number, by: login)
    }
    /// Sets another CI's status (or, `checkRun`, a GitHub check run: `state` its status, `conclusion` once completed)
    /// on `ref` (a SHA or a branch), `state` in the flavour's own words.
    @discardableResult
    public func setOtherStatus(project: String, ref: String, context: String, state: String, conclusion: String? = nil,
                               description: String = "", targetURL: String? = nil, checkRun: Bool = false) async throws -> SimCommitStatus {
        try await forge.setOtherStatus(project: project, ref: ref, context: context, state: state, conclusion: conclusion,
                                       description: description, targetURL: targetURL, checkRun: checkRun)
    }
    /// Every status and check run on `ref` (a SHA or a branch), oldest first.
    public func statuses(project: String, ref: String) async throws -> [SimCommitStatus] { try await forge.statuses(project: project, ref: ref) }
    /// Creates repository labels (Gitea needs them to exist before they are added).
    public func defineLabels(project: String, _ names: [String]) async throws { try await forge.defineLabels(project: project, names: names) }

    // MARK: HTTP

    private static func makeApplication(
        _ configuration: ForgeSimConfiguration, forge: SimForge, onRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let control = SimControl(forge: forge)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let buffer = try await request.collectBody(upTo: 16 << 20)
            let body = Data(buffer.readableBytesView)
            let raw = request.uri.string
            let parts = raw.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            var path = String(parts.first ?? "/")
            let rawQuery = parts.count > 1 ? String(parts[1]) : ""
            var query: [String: String] = [:]
            for pair in rawQuery.split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let k = String(kv[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(kv[0])
                let v = kv.count > 1 ? (String(kv[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(kv[1])) : ""
                query[k] = v
            }
            let headers = request.headers.map { ($0.name.rawName, $0.value) }
            let host = request.head.authority ?? "\(configuration.host):\(configuration.port)"
            let origin = "http://\(host)"
            let simResponse: SimResponse
            if path.hasPrefix("/_sim/") {
                simResponse = await control.handle(method: request.method.rawValue, path: path, query: query, body: body)
            } else {
                let prefix = configuration.flavour.apiPrefix
                if !prefix.isEmpty {
                    guard path.hasPrefix(prefix + "/") || path == prefix else {
                        return Response(status: .notFound, headers: [.contentType: "application/json"],
                                        body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"message\":\"404 Not Found\"}")))
                    }
                    path = String(path.dropFirst(prefix.count))
                }
                let simRequest = SimRequest(method: request.method.rawValue, path: path, rawQuery: rawQuery, query: query,
                                            headers: headers, body: body, origin: origin)
                simResponse = await forge.handle(simRequest)
            }
            var fields = HTTPFields()
            for (name, value) in simResponse.headers {
                if let n = HTTPField.Name(name) { fields.append(HTTPField(name: n, value: value)) }
            }
            return Response(status: .init(code: simResponse.status), headers: fields,
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: simResponse.body)))
        }
        var logger = Logger(label: "promote-forge-sim")
        logger.logLevel = .critical
        return Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "promote-forge-sim"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}

/// The stand-in could not start.
public struct SimStartError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

import Foundation

/// Turns parsed `promote.yaml` trees into a ``PromoteConfig``, or a ``ConfigError`` listing every problem with its
/// file, line, key and fix. Pure: the caller reads the files.
public enum ConfigDecoder {
    /// A file and its parsed root.
    public struct Source: Sendable {
        public var file: String
        public var root: ConfigNode

        public init(file: String, root: ConfigNode) {
            self.file = file
            self.root = root
        }
    }

    /// The schemes a repository URL may use.
    static let repositorySchemes = ["https://", "http://", "ssh://", "git://", "file://"]

    /// Decodes the main file; `environmentFiles` are the files of `environmentsDir` (one environment each, in the
    /// order they should run), which the caller reads when the main file names a directory.
    public static func decode(_ main: Source, environmentFiles: [Source] = []) throws(ConfigError) -> PromoteConfig {
        let sink = ProblemSink()
        var top = ConfigReader(file: main.file, path: "", node: main.root, problems: sink)

        let repository = decodeRepository(&top, key: "repository", inherited: nil, required: true) ?? RepositorySettings(url: "")
        let forge = decodeForge(&top, key: "forge", inherited: nil) ?? ForgeSettings(kind: .none)

        var author = Signature(name: "promote-bot", email: "promote-bot@localhost")
        if var commit = top.mapping("commit") {
            if var a = commit.mapping("author") {
                if let name = a.string("name") { author.name = name }
                if let email = a.string("email") { author.email = email }
                if author.name.contains(where: { $0.isNewline || $0 == "<" || $0 == ">" }) { a.report("name", "must be one line without '<' or '>'") }
                if !author.email.contains("@") || author.email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" }) {
                    a.report("email", "'\(author.email)' is not an e-mail address")
                }
                a.finish()
            }
            commit.finish()
        }

        var environments: [EnvironmentSettings] = []
        var declaredFrom: [DeclaredFrom] = [], environmentSourceFiles: [String] = []
        let envNode = top.node("environments")
        let envDir = top.string("environmentsDir")
        if envNode != nil, envDir != nil {
            top.report("environmentsDir", "use either 'environments:' or 'environmentsDir:', not both")
        }
        if let envNode {
            if case .sequence(let items) = envNode.value {
                for (i, item) in items.enumerated() {
                    var r = ConfigReader(file: main.file, path: "environments[\(i)]", node: item, problems: sink)
                    if let env = decodeEnvironment(&r, defaultName: nil, repository: repository, forge: forge, declaredFrom: &declaredFrom) {
                        environments.append(env)
                        environmentSourceFiles.append(main.file)
                    }
                    r.finish()
                }
            } else {
                top.report("environments", line: envNode.line, "must be a list of environments")
            }
        } else if envDir != nil {
            for source in environmentFiles {
                var r = ConfigReader(file: source.file, path: "", node: source.root, problems: sink)
                let stem = source.file.split(separator: "/").last.map { String($0.split(separator: ".").first ?? $0) }
                if let env = decodeEnvironment(&r, defaultName: stem, repository: repository, forge: forge, declaredFrom: &declaredFrom) {
                    environments.append(env)
                    environmentSourceFiles.append(source.file)
                }
                r.finish()
            }
            if environmentFiles.isEmpty { top.report("environmentsDir", "names a directory with no environment files (*.yaml)") }
        } else {
            top.report("environments", "is required: list the environments in promotion order (or set environmentsDir)")
        }
        linkStages(&environments, declared: declaredFrom, files: environmentSourceFiles, sink: sink)
        var seen = Set<String>()
        for env in environments where !seen.insert(env.name).inserted {
            sink.add(main.file, 0, "environments", "environment '\(env.name)' is defined twice")
        }
        for env in environments where env.mode == .pullRequest && env.forge.kind == .none {
            sink.add(main.file, 0, "environments.\(env.name)",
                "mode is pull-request but no forge is configured; set 'forge: {type: github, project: ...}' (or 'mode: push')")
        }

        var models: [String: ModelSettings] = [:]
        if var m = top.mapping("models") {
            for entry in m.entries {
                if let problem = InputRules.modelNameProblem(entry.key) { m.report(entry.key, "is not a valid model name: \(problem)") }
                var r = ConfigReader(file: main.file, path: m.keyPath(entry.key), node: entry.value, problems: sink)
                models[entry.key] = decodeModel(&r)
                r.finish()
                _ = m.node(entry.key)
            }
            m.finish()
        }

        let service = decodeService(&top) ?? ServiceSettings()
        aliasesDecide(&environments, service: service)
        top.finish()
        guard sink.problems.isEmpty else { throw ConfigError(problems: sink.problems) }
        return PromoteConfig(
            file: main.file, repository: repository, forge: forge, author: author, environments: environments,
            models: models, service: service)
    }

    static func decodeRepository(_ parent: inout ConfigReader, key: String, inherited: RepositorySettings?, required: Bool)
        -> RepositorySettings?
    {
        guard var r = parent.mapping(key) else {
            if required { parent.report(key, "is required: set 'repository: {url: ..., branch: main}'") }
            return inherited
        }
        defer { r.finish() }
        guard let url = r.string("url", required: inherited == nil) ?? inherited?.url else { return nil }
        if !repositorySchemes.contains(where: url.hasPrefix) {
            r.report("url", "'\(redactUserInfo(url))' must start with https://, http:// (loopback only), ssh://, git:// or file://")
        } else if url.hasPrefix("http://"), !isLoopbackHTTP(url) {
            r.report("url", "plain http:// is allowed only for loopback addresses; use https://")
        }
        if hasUserInfoPassword(url) {
            r.report("url", "must not contain a password; use credentials: {passwordEnv: ...}")
        }
        let branch = r.string("branch") ?? inherited?.branch ?? "main"
        var credentials = inherited?.credentials ?? .none
        if var c = r.mapping("credentials") {
            let userEnv = c.string("usernameEnv")
            let passEnv = c.string("passwordEnv")
            let keyFile = c.string("sshKeyFile")
            let knownHosts = c.string("knownHostsFile")
            let pinned = c.string("hostKeySHA256")
            let sshUser = c.string("sshUser")
            if let keyFile {
                if passEnv != nil { c.report("passwordEnv", "use either sshKeyFile or passwordEnv, not both") }
                if knownHosts == nil, pinned == nil {
                    c.report("sshKeyFile", "needs knownHostsFile or hostKeySHA256 so that the server's host key is checked")
                }
                credentials = .sshKey(user: sshUser, keyFile: keyFile, knownHostsFile: knownHosts, hostKeySHA256: pinned)
            } else if let passEnv {
                credentials = .userPassword(usernameEnv: userEnv, passwordEnv: passEnv)
            } else {
                c.report("passwordEnv", "credentials need passwordEnv (HTTPS token) or sshKeyFile")
            }
            c.finish()
        }
        var settings = RepositorySettings(url: url, branch: branch, credentials: credentials)
        settings.connectTimeout = inherited?.connectTimeout ?? settings.connectTimeout
        settings.idleTimeout = inherited?.idleTimeout ?? settings.idleTimeout
        if var t = r.mapping("timeouts") {
            for (key, target) in [("connect", \RepositorySettings.connectTimeout), ("idle", \RepositorySettings.idleTimeout)] {
                if let seconds = t.duration(key, within: DurationRange.networkTimeout) { settings[keyPath: target] = seconds }
            }
            t.finish()
        }
        return settings
    }

    static func decodeForge(_ parent: inout ConfigReader, key: String, inherited: ForgeSettings?) -> ForgeSettings? {
        guard var r = parent.mapping(key) else { return inherited }
        defer { r.finish() }
        let kind = r.choice("type", ForgeSettings.Kind.self) ?? inherited?.kind ?? .none
        var forge = ForgeSettings(
            kind: kind, api: r.string("api") ?? inherited?.api, project: r.string("project") ?? inherited?.project,
            tokenEnv: r.string("tokenEnv") ?? inherited?.tokenEnv,
            webhookSecretEnv: r.string("webhookSecretEnv") ?? inherited?.webhookSecretEnv)
        if kind != .none {
            if forge.project == nil { r.report("project", "is required for forge type \(kind.rawValue) (e.g. acme/mlops-gitops)") }
            if forge.tokenEnv == nil { r.report("tokenEnv", "is required for forge type \(kind.rawValue): name the environment variable holding the token") }
            if forge.api == nil { forge.api = forge.defaultAPI }
            if let api = forge.api, !(api.hasPrefix("https://") || isLoopbackHTTP(api)) {
                r.report("api", "'\(redactUserInfo(api))' must be an https:// URL (http:// only on loopback)")
            }
        }
        if let api = forge.api, hasUserInfo(api) {
            r.report("api", "must not contain a user or password; the token comes from tokenEnv")
        }
        return forge
    }

    static func decodeEnvironment(
        _ r: inout ConfigReader, defaultName: String?, repository: RepositorySettings, forge: ForgeSettings,
        declaredFrom: inout [DeclaredFrom]
    ) -> EnvironmentSettings? {
        guard let name = r.string("name") ?? defaultName else {
            r.report("name", "is required")
            return nil
        }
        if let problem = InputRules.environmentNameProblem(name) { r.report("name", "'\(name)' \(problem)") }
        let path = r.string("path") ?? "environments/\(name)/{model}.yaml"
        if !path.contains("{model}") { r.report("path", "must contain {model} (e.g. environments/\(name)/{model}.yaml)") }
        if path.hasPrefix("/") || path.split(separator: "/").contains("..") { r.report("path", "must be relative to the repository root, without '..'") }
        let mode = r.choice("mode", EnvironmentSettings.Mode.self) ?? .push
        let drift = r.choice("drift", EnvironmentSettings.DriftPolicy.self) ?? .report
        let repo = decodeRepository(&r, key: "repository", inherited: repository, required: false) ?? repository
        let envForge = decodeForge(&r, key: "forge", inherited: forge) ?? forge
        let gates = decodeGates(&r).compactMap(\.gate)
        let (stage, declared) = decodeStage(&r)
        declaredFrom.append(declared)
        return EnvironmentSettings(
            name: name, path: path, mode: mode, drift: drift, repository: repo, forge: envForge,
            labels: r.stringList("labels") ?? [], reviewers: r.stringList("reviewers") ?? [], gates: gates,
            draft: r.bool("draft") ?? false, autoMerge: r.bool("autoMerge") ?? false, verify: decodeVerify(&r), stage: stage)
    }

    /// A `gates:` mapping: metric -> expression, or `none` (no gate on that metric: a model switches off its
    /// environment's gate).
    static func decodeGates(_ r: inout ConfigReader) -> [(metric: String, gate: MetricGate?)] {
        var gates: [(metric: String, gate: MetricGate?)] = []
        guard var g = r.mapping("gates") else { return gates }
        for entry in g.entries {
            _ = g.node(entry.key)
            guard case .scalar(let expression, _) = entry.value.value else {
                g.report(entry.key, "must be an expression such as \">= production - 0.01\", or none")
                continue
            }
            if expression.trimmingCharacters(in: .whitespaces) == "none" {
                gates.append((entry.key, nil))
                continue
            }
            do {
                gates.append((entry.key, try MetricGate(metric: entry.key, expression: expression)))
            } catch {
                g.report(entry.key, error.reason + " (e.g. \">= production - 0.01\" or \"<= 250\", or none)")
            }
        }
        g.finish()
        return gates
    }

    static func decodeModel(_ r: inout ConfigReader) -> ModelSettings {
        var model = ModelSettings()
        model.gates = decodeGates(&r)
        model.field = r.string("field")
        if let field = model.field, let problem = ManifestPath.problem(in: field) { r.report("field", problem) }
        model.allowedURIs = r.stringList("allowedUris") ?? []
        for (i, prefix) in model.allowedURIs.enumerated() where !prefix.contains("://") || InputRules.hasDotSegment(prefix) {
            r.report("allowedUris[\(i)]", "'\(prefix)' must be a URI prefix such as gs://bucket/path/, without '.' or '..' segments")
        }
        model.path = r.string("path")
        model.template = r.string("template")
        if let path = model.path, path.hasPrefix("/") || path.split(separator: "/").contains("..") {
            r.report("path", "must be relative to the repository root, without '..'")
        }
        if let template = model.template, template.contains("/") || template.contains("..") {
            r.report("template", "names a file under templates/ (no '/' or '..')")
        }
        if var s = r.mapping("set") {
            for entry in s.entries {
                _ = s.node(entry.key)
                guard case .scalar(let template, _) = entry.value.value else {
                    s.report(entry.key, "must be a template string such as \"{version}\"")
                    continue
                }
                if let problem = ManifestPath.problem(in: entry.key) { s.report(entry.key, problem) }
                model.set.append((entry.key, template))
            }
            s.finish()
        }
        if model.field != nil, !model.set.isEmpty { r.report("set", "use either field or set, not both") }
        return model
    }

    static func decodeService(_ top: inout ConfigReader) -> ServiceSettings? {
        guard var s = top.mapping("service") else { return nil }
        defer { s.finish() }
        var service = ServiceSettings()
        if let listen = s.string("listen") { service.listen = listen }
        service.state = s.string("state")
        service.statePasswordEnv = s.string("statePasswordEnv")
        if let seconds = s.duration("leaseDuration", within: DurationRange(shortest: 1, longest: 3_600)) { service.leaseDuration = seconds }
        if let lanes = s.integer("maxLanes", in: 1...1_024) { service.maxLanes = lanes }
        if var intake = s.mapping("intake") {
            service.intakeSecretsEnv = intake.stringList("secretsEnv") ?? []
            service.intakeTokensEnv = intake.stringList("tokensEnv") ?? []
            intake.finish()
        }
        if var m = s.mapping("mlflow") {
            if let url = m.string("url", required: true) {
                if hasUserInfo(url) { m.report("url", "must not contain a user or password; use tokenEnv (the registry's bearer token)") }
                if url.hasPrefix("http://"), !isLoopbackHTTP(url), m.node("tokenEnv") != nil {
                    m.report("url", "is plain http:// to another host, so the token from tokenEnv would travel unencrypted; use https://")
                }
                var aliases: [String: String] = [:]
                if var a = m.mapping("aliases") {
                    for entry in a.entries {
                        _ = a.node(entry.key)
                        if case .scalar(let env, _) = entry.value.value { aliases[entry.key] = env } else { a.report(entry.key, "must name an environment") }
                    }
                    a.finish()
                }
                service.mlflow = .init(
                    url: url, secretEnv: m.string("secretEnv"), tokenEnv: m.string("tokenEnv"), aliases: aliases,
                    artifactsDestination: m.string("artifactsDestination"))
                if let moment = m.choice("writeBack", ServiceSettings.MLflow.WriteBack.self) { service.mlflow?.writeBack = moment }
            }
            m.finish()
        }
        if var r = s.mapping("reconcile") {
            if let seconds = r.duration("every", within: DurationRange.schedule) { service.reconcileEvery = seconds }
            r.finish()
        }
        if var p = s.mapping("poll") {
            if let seconds = p.duration("every", within: DurationRange.schedule) { service.pollEvery = seconds }
            p.finish()
        }
        if var e = s.mapping("cdevents") {
            decodeEventSinks(&e, into: &service)
            e.finish()
        }
        if var a = s.mapping("access") {
            service.access = decodeAccess(&a)
            a.finish()
        }
        if var pg = s.mapping("page") {
            if let refresh = pg.string("refresh") {
                if let seconds = parseDuration(refresh) { service.pageRefresh = seconds } else { pg.report("refresh", "'\(refresh)' is not a duration such as 10s or 1m") }
            }
            pg.finish()
        }
        return service
    }

    /// `90`, `30s`, `10m`, `1h` -> seconds: finite, above zero and at most ``DurationRange/longest`` (a year), so
    /// that every caller can turn it into a `Duration` or an integer of milliseconds without overflowing.
    public static func parseDuration(_ text: String) -> Double? {
        DurationRange.seconds(in: text).flatMap { DurationRange.anything.contains($0) ? $0 : nil }
    }

    /// True for `http://` URLs whose host is a loopback address: an IPv4 literal in 127.0.0.0/8, `[::1]`, or the
    /// name `localhost` itself (RFC 6761), never a name that merely starts with it (`localhost.evil.example`).
    static func isLoopbackHTTP(_ url: String) -> Bool {
        guard url.hasPrefix("http://") else { return false }
        let authority = url.dropFirst("http://".count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        return LoopbackAddress.isLoopback(host: LoopbackAddress.host(ofHostPort: hostPort))
    }

    /// True when the URL's authority carries user info at all (`user@`, `token@`, `user:secret@`): API URLs never need it.
    static func hasUserInfo(_ url: String) -> Bool {
        let afterScheme = url.range(of: "://").map { url[$0.upperBound...] } ?? url[...]
        return afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }.contains("@")
    }

    static func hasUserInfoPassword(_ url: String) -> Bool {
        guard let scheme = url.range(of: "://") else { return false }
        let authority = url[scheme.upperBound...].prefix { $0 != "/" }
        guard let at = authority.lastIndex(of: "@") else { return false }
        return authority[..<at].contains(":")
    }
}

/// Replaces the user-info part of a URL (`https://user:token@host/...`) with `***`, for anything shown to people.
public func redactUserInfo(_ url: String) -> String {
    guard let scheme = url.range(of: "://") else { return url }
    let afterScheme = url[scheme.upperBound...]
    let authorityEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
    guard let at = afterScheme[..<authorityEnd].lastIndex(of: "@") else { return url }
    return String(url[..<scheme.upperBound]) + "***" + String(url[at...])
}

extension ConfigDecoder {
    /// `service.cdevents`: `sinks` (URLs, or `{url, secretEnv}` for signed deliveries), `attempts`, `backoff`.
    static func decodeEventSinks(_ e: inout ConfigReader, into service: inout ServiceSettings) {
        if let n = e.node("sinks") {
            let items: [ConfigNode] = if case .sequence(let list) = n.value { list } else { [n] }
            for (i, item) in items.enumerated() {
                let key = "sinks[\(i)]"
                var url: String?
                switch item.value {
                case .scalar(let text, _): url = text
                case .mapping:
                    var m = ConfigReader(file: e.file, path: e.keyPath(key), node: item, problems: e.problemSink)
                    url = m.string("url", required: true)
                    if let env = m.string("secretEnv"), let url { service.eventSinkSecretEnv[url] = env }
                    m.finish()
                default:
                    e.report(key, line: item.line, "must be a URL or a mapping {url, secretEnv}")
                }
                guard let url else { continue }
                if hasUserInfo(url) {
                    e.report(key, line: item.line, "must not contain a user or password: CDEvents are sent without credentials (sign them with secretEnv)")
                }
                service.eventSinks.append(url)
            }
        }
        if let text = e.string("attempts") {
            if let n = Int(text), (1...100).contains(n) { service.eventDelivery.attempts = n } else { e.report("attempts", "'\(text)' is not a whole number from 1 to 100") }
        }
        if let seconds = e.duration("backoff", within: DurationRange(shortest: 0.1, longest: 3_600)) { service.eventDelivery.backoff = seconds }
    }
}

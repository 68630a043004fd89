internal import Foundation

/// Everything a commit message or pull request says about one promotion into one environment: the values the
/// Mustache templates render.
public struct ReviewContext: Sendable {
    /// One changed file and its diff.
    public struct FileChange: Sendable, Hashable {
        public var path: String
        public var diff: String

        public init(path: String, diff: String) {
            self.path = path
            self.diff = diff
        }
    }

    /// A version this promotion replaces before it reached the environment.
    public struct Superseded: Sendable, Hashable {
        public var version: String
        public var url: String?

        public init(version: String, url: String?) {
            self.version = version
            self.url = url
        }
    }

    /// Where the version already runs before this environment, e.g. staging.
    public struct Staged: Sendable, Hashable {
        public var environment: String
        public var version: String
        public var since: String

        public init(environment: String, version: String, since: String) {
            self.environment = environment
            self.version = version
            self.since = since
        }
    }

    public var request: ReleaseRequest
    public var environment: String
    /// The version and URI the environment runs now (nil for a first deployment).
    public var previous: (version: String, uri: String)?
    /// Metrics of the version now in the environment.
    public var previousMetrics: [String: Double]
    public var gateResults: [GateResult]
    /// True when a gate failed and the promotion was forced.
    public var gatesOverridden: Bool
    public var files: [FileChange]
    public var superseded: [Superseded]
    public var staged: Staged?
    /// Why the stage rules were skipped to enter this environment (`--skip-stages --reason`), if they were.
    public var skippedStages: String?
    /// The template the spec was onboarded from, when the model had no spec here.
    public var onboardedFrom: String?
    public var isRollback: Bool
    public var promotionID: String?

    public init(
        request: ReleaseRequest, environment: String, previous: (version: String, uri: String)? = nil,
        previousMetrics: [String: Double] = [:], gateResults: [GateResult] = [], gatesOverridden: Bool = false,
        files: [FileChange] = [], superseded: [Superseded] = [], staged: Staged? = nil, onboardedFrom: String? = nil,
        isRollback: Bool = false, promotionID: String? = nil
    ) {
        self.request = request
        self.environment = environment
        self.previous = previous
        self.previousMetrics = previousMetrics
        self.gateResults = gateResults
        self.gatesOverridden = gatesOverridden
        self.files = files
        self.superseded = superseded
        self.staged = staged
        self.onboardedFrom = onboardedFrom
        self.isRollback = isRollback
        self.promotionID = promotionID
    }

    /// The machine-readable summary hidden in the PR body, so that tools (and the reconciler) can read a PR alone.
    public var metadata: String {
        var object: [String: String] = [
            "model": request.model, "version": request.version, "uri": request.uri, "environment": environment,
        ]
        if let previous { object["previousVersion"] = previous.version }
        if let promotionID { object["promotion"] = promotionID }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // Never let a value close the HTML comment.
        return json.replacingOccurrences(of: "--", with: "-\\u002d")
    }

    /// Parses the metadata a PR body carries, if any.
    public static func metadata(inBody body: String) -> [String: String]? {
        guard let start = body.range(of: "<!-- promote:metadata "), let end = body.range(of: " -->", range: start.upperBound..<body.endIndex) else {
            return nil
        }
        let json = body[start.upperBound..<end.lowerBound]
        return try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))
    }

    var values: [String: Any] {
        let candidate = request.metrics
        let names = Set(candidate.keys).union(previousMetrics.keys).union(gateResults.map(\.gate.metric)).sorted()
        let metrics: [[String: Any]] = names.map { name in
            let now = previousMetrics[name], new = candidate[name]
            let change = (now != nil && new != nil) ? MetricFormat.delta(new! - now!) : ""
            let gate = gateResults.first { $0.gate.metric == name }.map { result -> String in
                let mark = result.outcome == .passed ? "✅" : result.outcome == .failed ? "❌" : "➖"
                return "\(mark) `\(result.gate.expression)`" + (result.outcome == .skipped ? " (no baseline)" : "")
            } ?? ""
            return [
                "name": name, "current": now.map(MetricFormat.number) ?? "–", "candidate": new.map(MetricFormat.number) ?? "–",
                "change": change, "gate": gate,
            ]
        }
        var source: [String: Any] = [:]
        if let commit = request.source.commit { source["commit"] = commit }
        if let run = request.source.runURL { source["runUrl"] = run }
        if let pipeline = request.source.pipeline { source["pipeline"] = pipeline }
        var values: [String: Any] = [
            "model": request.model, "version": request.version, "uri": request.uri, "environment": environment,
            "metrics": metrics, "hasMetrics": !metrics.isEmpty, "source": source, "hasSource": !request.source.isEmpty,
            "files": files.map { ["path": $0.path, "diff": $0.diff, "fence": Self.fence(for: $0.diff)] },
            "superseded": superseded.map { s -> [String: Any] in
                var v: [String: Any] = ["version": s.version]
                if let url = s.url { v["url"] = url }
                return v
            },
            "gatesBlocked": gatesOverridden, "rollback": verb == "Roll back", "restore": verb == "Restore", "metadata": metadata,
            "verb": verb, "hasPrevious": previous != nil, "hasStaged": staged != nil,
            "hasSuperseded": !superseded.isEmpty,
        ]
        if let previous {
            values["previousVersion"] = previous.version
            values["previousUri"] = previous.uri
        }
        if let staged {
            values["stagedEnvironment"] = staged.environment
            values["stagedVersion"] = staged.version
            values["stagedSince"] = staged.since
        }
        if let onboardedFrom { values["onboarded"] = onboardedFrom }
        if let skippedStages { values["skippedStages"] = skippedStages }
        return values
    }

    /// What the change does, as commit subjects and PR titles say it: `Promote` (forward), `Roll back` (to a version
    /// older than the one there now) or `Restore` (an earlier-wanted version put back that is not older: a repair).
    public var verb: String {
        guard isRollback else { return "Promote" }
        if let previous, VersionOrder.isOlder(request.version, than: previous.version) { return "Roll back" }
        return "Restore"
    }

    /// A code fence longer than any run of backticks in `text`.
    static func fence(for text: String) -> String {
        var longest = 0, run = 0
        for ch in text {
            run = ch == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }

    /// Renders `template` (Mustache) with this context, within ``BoundedTemplate/Limits/standard``.
    public func render(_ template: String, file: String? = nil) throws(TemplateError) -> String {
        try BoundedTemplate(template, file: file).render(values)
    }

    /// The commit message: the rendered template, then the provenance trailers.
    public func commitMessage(template: String = DefaultTemplates.commitMessage) throws(TemplateError) -> String {
        let text = try render(template)
        try TrailerGuard.refuseTrailers(in: text, file: "commit message template")
        let provenance = Provenance(
            model: request.model, version: request.version, uri: request.uri, environment: environment,
            event: promotionID, run: request.source.runURL ?? request.source.pipeline, skippedStages: skippedStages)
        return provenance.sign(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The pull request title: one line.
    public func pullRequestTitle(template: String = DefaultTemplates.pullRequestTitle) throws(TemplateError) -> String {
        let text = try render(template)
        try TrailerGuard.refuseTrailers(in: text, file: "pull request title template")
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty } ?? "Promote \(request.model) \(request.version) to \(environment)"
    }

    /// The pull request body (Markdown).
    public func pullRequestBody(template: String = DefaultTemplates.pullRequestBody) throws(TemplateError) -> String {
        let text = try render(template)
        // A squash merge turns the body into the commit message: it must not carry trailers either.
        try TrailerGuard.refuseTrailers(in: text, file: "pull request body template")
        return text.trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
    }
}

/// A Mustache template that does not parse, breaks a limit, or renders what Promote alone may write.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    /// The template's file (`templates/pr-body.mustache`), when known.
    public var file: String?
    /// 1-based; 0 when the problem has no one line.
    public var line: Int
    public var message: String

    public init(file: String? = nil, line: Int = 0, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        guard let file else { return "template error: \(message)" }
        return "template error: \(file)\(line > 0 ? ":\(line)" : ""): \(message)"
    }
}

/// The git trailers every commit Promote writes carries, so that history, audit, rollback and drift checks work
/// from `git log` alone and the ledger can be rebuilt from the repository.
public struct Provenance: Sendable, Hashable, Codable {
    public var model: String
    public var version: String
    public var uri: String
    public var environment: String
    /// The promotion (event) id.
    public var event: String?
    /// The source run link or pipeline.
    public var run: String?
    /// Why the stage rules were skipped (`--skip-stages --reason`), if they were.
    public var skippedStages: String?

    public init(
        model: String, version: String, uri: String, environment: String, event: String? = nil, run: String? = nil,
        skippedStages: String? = nil
    ) {
        self.model = model
        self.version = version
        self.uri = uri
        self.environment = environment
        self.event = event
        self.run = run
        self.skippedStages = skippedStages
    }

    /// The trailer block (`Promote-Model: jukebox` ...), one per line, without a leading blank line.
    public var trailers: String {
        var lines = [
            "Promote-Model: \(model)", "Promote-Version: \(version)", "Promote-Uri: \(uri)",
            "Promote-Environment: \(environment)",
        ]
        if let event { lines.append("Promote-Event: \(event)") }
        if let run { lines.append("Promote-Run: \(run)") }
        if let skippedStages { lines.append("Promote-Skipped-Stages: \(skippedStages)") }
        return lines.joined(separator: "\n")
    }

    /// Appends the trailers to a commit message (one blank line between, trailing newline).
    public func sign(_ message: String) -> String {
        var body = message
        while body.hasSuffix("\n") { body.removeLast() }
        return body + "\n\n" + trailers + "\n"
    }

    /// Every provenance block in a commit message. One commit may carry several (one per model it changed); a
    /// message without `Promote-Model` trailers has none.
    public static func parse(commitMessage: String) -> [Provenance] {
        var found: [Provenance] = []
        var current: [String: String] = [:]
        func flush() {
            if let model = current["Promote-Model"], let version = current["Promote-Version"],
                let uri = current["Promote-Uri"], let env = current["Promote-Environment"]
            {
                found.append(Provenance(
                    model: model, version: version, uri: uri, environment: env,
                    event: current["Promote-Event"], run: current["Promote-Run"], skippedStages: current["Promote-Skipped-Stages"]))
            }
            current = [:]
        }
        for line in commitMessage.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let colon = line.firstIndex(of: ":"), line.hasPrefix("Promote-") else { continue }
            let key = String(line[..<colon])
            let value = String(line[line.index(after: colon)...].drop(while: { $0 == " " }))
            if key == "Promote-Model", current["Promote-Model"] != nil { flush() }
            current[key] = value
        }
        flush()
        return found
    }
}

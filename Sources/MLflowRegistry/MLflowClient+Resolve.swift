internal import Promotion
internal import JSON
internal import Foundation

extension MLflowClient {
    /// What a version's `source` resolved to.
    struct ResolvedSource {
        var uri: String
        var metrics: [String: Double] = [:]
        var experimentID: String?
        var runID: String?
        var triedRun = false
    }

    /// `model-versions/get`, then the source, metrics and run link.
    func resolveVersion(model: String, version: String) async throws(RegistryError) -> RegistryVersion {
        let mv = try await readyVersion(model: model, version: version)
        let runID = mv.runID
        let source = mv.source
        guard !source.isEmpty else {
            throw RegistryError(.invalidResponse, "MLflow GET model-versions/get: \(model) version \(version) has no source")
        }
        var resolved = try await resolveSource(source, depth: 0)
        // The version's run gives metrics and the run link when the source did not (a bucket URI, a logged model
        // without metrics of its own).
        if let runID, !resolved.triedRun, resolved.metrics.isEmpty || resolved.experimentID == nil {
            let run = try await run(runID)
            if resolved.metrics.isEmpty { resolved.metrics = MLflowMetricPayload.latest(run.data?.metrics) }
            resolved.experimentID = resolved.experimentID ?? run.info.experiment_id
        }
        let runForLink = runID ?? resolved.runID
        var runURL: String?
        if let runForLink, let experiment = resolved.experimentID {
            runURL = "\(shownBase)/#/experiments/\(Self.escape(experiment))/runs/\(Self.escape(runForLink))"
        }
        let aliases = mv.aliases ?? []
        return RegistryVersion(
            model: model, version: version, uri: rewrite(resolved.uri), metrics: resolved.metrics, runID: runForLink,
            runURL: runURL, aliases: aliases)
    }

    /// The version's `model_version` object, once its status is READY.
    func readyVersion(model: String, version: String) async throws(RegistryError) -> MLflowModelVersionPayload {
        let doc = try await call("GET", "model-versions/get", query: [("name", model), ("version", version)])
        let mv = try Self.decode(MLflowModelVersionPayload.self, from: doc["model_version"], call: "GET model-versions/get")
        let status = mv.status ?? "READY"
        let detail = mv.status_message.flatMap { $0.isEmpty ? nil : ": \(Self.clip($0))" } ?? ""
        switch status {
        case "READY": return mv
        case "PENDING_REGISTRATION":
            throw RegistryError(.notReady, "MLflow: \(model) version \(version) is PENDING_REGISTRATION (files still being copied)\(detail)")
        case "FAILED_REGISTRATION":
            throw RegistryError(
                .notFound, "MLflow: \(model) version \(version) is FAILED_REGISTRATION and will never be READY\(detail); register it again")
        default:
            throw RegistryError(.notReady, "MLflow: \(model) version \(version) has status \(status), not READY\(detail)")
        }
    }

    /// Resolves `runs:/`, `models:/m-<id>` and `models:/<name>/<version>`; anything else is returned as it is.
    func resolveSource(_ source: String, depth: Int) async throws(RegistryError) -> ResolvedSource {
        if source.hasPrefix("runs:/") {
            let rest = source.dropFirst("runs:/".count).drop { $0 == "/" }
            let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let runID = parts.first.map(String.init), !runID.isEmpty else {
                throw RegistryError(.invalidResponse, "MLflow: the source '\(source)' names no run")
            }
            let path = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: ["/"]) : ""
            let run = try await run(runID)
            let artifactURI = run.info.artifact_uri
            guard !artifactURI.isEmpty else {
                throw RegistryError(.invalidResponse, "MLflow GET runs/get: run \(runID) has an empty info.artifact_uri")
            }
            return ResolvedSource(
                uri: path.isEmpty ? artifactURI : Self.join(artifactURI, path), metrics: MLflowMetricPayload.latest(run.data?.metrics),
                experimentID: run.info.experiment_id, runID: runID, triedRun: true)
        }
        if source.hasPrefix("models:/") {
            let rest = String(source.dropFirst("models:/".count).drop { $0 == "/" })
            let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 1, rest.hasPrefix("m-") {
                return try await loggedModel(rest)
            }
            if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty {
                guard depth < Self.maxSourceDepth else {
                    throw RegistryError(.invalidResponse, "MLflow: '\(source)' is more than \(Self.maxSourceDepth) models:/ references deep")
                }
                let inner = try await readyVersion(model: parts[0], version: parts[1])
                let innerSource = inner.source
                guard !innerSource.isEmpty else {
                    throw RegistryError(.invalidResponse, "MLflow GET model-versions/get: \(parts[0]) version \(parts[1]) has no source")
                }
                var resolved = try await resolveSource(innerSource, depth: depth + 1)
                if resolved.runID == nil { resolved.runID = inner.runID }
                return resolved
            }
        }
        return ResolvedSource(uri: source)
    }

    /// `logged-models/<id>`: its artifact location and metrics.
    func loggedModel(_ id: String) async throws(RegistryError) -> ResolvedSource {
        let doc = try await call("GET", "logged-models/\(Self.escape(id))")
        let model = try Self.decode(MLflowLoggedModelPayload.self, from: doc["model"], call: "GET logged-models/\(id)")
        guard !model.info.artifact_uri.isEmpty else {
            throw RegistryError(.invalidResponse, "MLflow GET logged-models/\(id): model.info.artifact_uri is empty")
        }
        return ResolvedSource(
            uri: model.info.artifact_uri, metrics: MLflowMetricPayload.latest(model.data?.metrics),
            experimentID: model.info.experiment_id, runID: model.info.source_run_id.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// `runs/get`: the `run` object.
    func run(_ runID: String) async throws(RegistryError) -> MLflowRunPayload {
        let doc = try await call("GET", "runs/get", query: [("run_id", runID)])
        return try Self.decode(MLflowRunPayload.self, from: doc["run"], call: "GET runs/get")
    }

    /// `mlflow-artifacts:/X` (or `mlflow-artifacts://host/X`) → `<artifactsDestination>/X`; other URIs unchanged.
    func rewrite(_ uri: String) -> String {
        guard let destination = artifactsDestination, uri.hasPrefix("mlflow-artifacts:") else { return uri }
        var rest = Substring(uri.dropFirst("mlflow-artifacts:".count))
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            rest = rest[(rest.firstIndex(of: "/") ?? rest.endIndex)...]
        }
        let path = rest.drop { $0 == "/" }
        return path.isEmpty ? destination : "\(destination)/\(path)"
    }

    static func join(_ base: String, _ path: String) -> String {
        var b = Substring(base)
        while b.hasSuffix("/") { b = b.dropLast() }
        return "\(b)/\(path)"
    }
}

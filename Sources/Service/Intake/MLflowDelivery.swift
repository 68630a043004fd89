internal import JSON
public import Promotion

/// One MLflow model-registry webhook delivery (`POST /v1/webhooks/mlflow`), decoded from its body, and what Promote
/// does with it. Pure: the HTTP layer checks the `X-MLflow-Signature` and hands in the raw body; the service asks
/// the registry for what the payload lacks (storage location, metrics) and calls
/// ``releaseRequest(resolved:settings:)``.
///
/// The envelope is `{"entity", "action", "timestamp", "data"}` (MLflow 3.x); the six model-registry events are
/// decoded, anything else (prompt events, budget policies, events of later MLflow versions) is ``ignored(_:)``.
public enum MLflowDelivery: Sendable, Hashable {
    /// `model_version.created`: a new version was registered. `runID` is null for logged models
    /// (`models:/m-…` sources) even when the version has a run.
    case versionCreated(model: String, version: String, source: String, runID: String?)
    /// `model_version_alias.created`: `alias` now points at `version` (set or moved; the previous holder is not named).
    case aliasCreated(model: String, alias: String, version: String)
    /// `model_version_alias.deleted`: `alias` was removed (MLflow does not say from which version).
    case aliasDeleted(model: String, alias: String)
    /// `model_version_tag.set`.
    case tagSet(model: String, version: String, key: String, value: String)
    /// `model_version_tag.deleted`.
    case tagDeleted(model: String, version: String, key: String)
    /// `registered_model.created`.
    case registeredModelCreated(model: String)
    /// A well-formed delivery Promote has no use for; the reason is for the log and the 202 answer.
    case ignored(String)

    /// What the service does with a delivery.
    public enum Action: Sendable, Hashable {
        /// Resolve `model`/`version` in the registry and release it to `environments` (nil: the `push` environments).
        case release(model: String, version: String, environments: [String]?)
        /// Nothing to release; the reason is for the log and the answer.
        case ignore(String)
    }

    /// The pipeline name written into the release's source.
    public static let pipeline = "mlflow"

    /// Decodes a delivery body. Not JSON → 400; JSON that is not an MLflow registry envelope, or a known event
    /// missing a field → 422 naming the fields (`entity`, `data.name`, ...).
    public static func decode(_ body: [UInt8]) throws(IntakeRejection) -> MLflowDelivery {
        guard body.count <= EventIntake.maxBodyBytes else {
            throw IntakeRejection(status: 413, title: "the body is larger than \(EventIntake.maxBodyBytes) bytes")
        }
        let json: JSONValue
        do { json = try JSONParser.parse(body) } catch {
            throw IntakeRejection(status: 400, title: "the body is not valid JSON: \(error)")
        }
        guard case .object = json else {
            throw IntakeRejection(
                status: 422, title: "not an MLflow webhook delivery",
                problems: [FieldProblem(field: "", message: "the body must be a JSON object, not \(json.typeDescription)")])
        }
        var problems: [FieldProblem] = []
        for key in ["entity", "action"] where json[key]?.string.map({ !$0.isEmpty }) != true {
            problems.append(FieldProblem(field: key, message: json[key] == nil ? "is required" : "must be a non-empty string"))
        }
        guard problems.isEmpty, let entity = json["entity"]?.string, let action = json["action"]?.string else {
            throw IntakeRejection(status: 422, title: "not an MLflow webhook delivery", problems: problems)
        }
        let event = "\(entity).\(action)"
        let known: [String: [String]] = [
            "model_version.created": ["name", "version", "source"],
            "model_version_alias.created": ["name", "alias", "version"],
            "model_version_alias.deleted": ["name", "alias"],
            "model_version_tag.set": ["name", "version", "key", "value"],
            "model_version_tag.deleted": ["name", "version", "key"],
            "registered_model.created": ["name"],
        ]
        guard let required = known[event] else {
            return .ignored("the MLflow event '\(event)' is not one Promote acts on")
        }
        guard case .object = json["data"] else {
            let message = json["data"] == nil ? "is required" : "must be an object, not \(json["data"]!.typeDescription)"
            throw IntakeRejection(
                status: 422, title: "the \(event) delivery is incomplete", problems: [FieldProblem(field: "data", message: message)])
        }
        var fields: [String: String] = [:]
        for key in required {
            switch json["data"]?[key] {
            case .string(let text) where !text.isEmpty: fields[key] = text
            // MLflow sends versions as strings; accept a whole number from other senders.
            case .number(let n) where key == "version" && n >= 1 && n.rounded() == n && n < 1e15: fields[key] = String(Int(n))
            case nil, .null?: problems.append(FieldProblem(field: "data.\(key)", message: "is required"))
            case .string?: problems.append(FieldProblem(field: "data.\(key)", message: "must not be empty"))
            case let value?: problems.append(FieldProblem(field: "data.\(key)", message: "must be a string, not \(value.typeDescription)"))
            }
        }
        var runID: String?
        if event == "model_version.created" {
            switch json["data"]?["run_id"] {
            case nil, .null?: runID = nil
            case .string(let text): runID = text.isEmpty ? nil : text
            case let value?: problems.append(FieldProblem(field: "data.run_id", message: "must be a string or null, not \(value.typeDescription)"))
            }
        }
        guard problems.isEmpty else {
            throw IntakeRejection(status: 422, title: "the \(event) delivery is incomplete", problems: problems)
        }
        let name = fields["name"]!
        switch event {
        case "model_version.created":
            return .versionCreated(model: name, version: fields["version"]!, source: fields["source"]!, runID: runID)
        case "model_version_alias.created": return .aliasCreated(model: name, alias: fields["alias"]!, version: fields["version"]!)
        case "model_version_alias.deleted": return .aliasDeleted(model: name, alias: fields["alias"]!)
        case "model_version_tag.set":
            return .tagSet(model: name, version: fields["version"]!, key: fields["key"]!, value: fields["value"]!)
        case "model_version_tag.deleted": return .tagDeleted(model: name, version: fields["version"]!, key: fields["key"]!)
        default: return .registeredModelCreated(model: name)
        }
    }

    /// The model the delivery is about, when it names one.
    public var model: String? {
        switch self {
        case .versionCreated(let m, _, _, _), .aliasCreated(let m, _, _), .aliasDeleted(let m, _), .tagSet(let m, _, _, _),
            .tagDeleted(let m, _, _), .registeredModelCreated(let m):
            m
        case .ignored: nil
        }
    }

    /// What to do: a new version goes to the `push` environments (nil here); an alias mapped in
    /// `settings.aliases` releases its version to the mapped environment; everything else is ignored with a reason.
    public func action(settings: ServiceSettings.MLflow) -> Action {
        switch self {
        case .versionCreated(let model, let version, _, _):
            return .release(model: model, version: version, environments: nil)
        case .aliasCreated(let model, let alias, let version):
            guard let environment = settings.aliases[alias] else {
                let known = settings.aliases.keys.sorted()
                return .ignore(
                    "the alias '\(alias)' is not mapped to an environment (mlflow.aliases maps "
                        + (known.isEmpty ? "none" : known.map { "'\($0)'" }.joined(separator: ", ")) + ")")
            }
            return .release(model: model, version: version, environments: [environment])
        case .aliasDeleted(_, let alias):
            return .ignore("removing the alias '\(alias)' changes no environment (Promote never rolls back on its own)")
        case .tagSet(_, _, let key, _): return .ignore("a version tag ('\(key)') was set; tags do not release")
        case .tagDeleted(_, _, let key): return .ignore("a version tag ('\(key)') was deleted; tags do not release")
        case .registeredModelCreated(let model): return .ignore("the registered model '\(model)' was created; it has no version yet")
        case .ignored(let reason): return .ignore(reason)
        }
    }

    /// The idempotency key of the release: `mlflow:<model>@<version>` for a new version, `mlflow:<model>@<version>#<alias>`
    /// for an alias (so that moving an alias back and forth releases each time it lands on another version).
    /// Nil for deliveries that do not release.
    public var idempotencyKey: String? {
        let key: String
        switch self {
        case .versionCreated(let model, let version, _, _): key = "mlflow:\(model)@\(version)"
        case .aliasCreated(let model, let alias, let version): key = "mlflow:\(model)@\(version)#\(alias)"
        default: return nil
        }
        // The key must be printable ASCII without spaces, at most 200 bytes.
        return String(String.UnicodeScalarView(key.unicodeScalars.filter { (0x21...0x7e).contains($0.value) }).prefix(200))
    }

    /// The release of a delivery whose ``action(settings:)`` is `.release`, built from what the registry resolved.
    /// Throws 422 when the delivery does not release, when `resolved` is another version, or when the resolved values
    /// break the release rules (for example an `mlflow-artifacts:/` URI left unmapped: field `uri`).
    public func releaseRequest(resolved: RegistryVersion, settings: ServiceSettings.MLflow) throws(IntakeRejection) -> ReleaseRequest {
        guard case .release(let model, let version, let environments) = action(settings: settings), let key = idempotencyKey else {
            throw IntakeRejection(status: 422, title: "the MLflow delivery does not release a version")
        }
        guard resolved.model == model, resolved.version == version else {
            throw IntakeRejection(
                status: 422, title: "the resolved version is not the delivery's",
                problems: [FieldProblem(field: "data.version", message: "the delivery names \(model)@\(version), the registry resolved \(resolved.model)@\(resolved.version)")])
        }
        // A person pointed the alias at the version: their decision, which enters the environment even when the
        // version was not verified in its `from` (said in the PR body, the trailer and the audit log, DESIGN.md 1a).
        var skip: String?
        if case .aliasCreated(_, let alias, _) = self { skip = "MLflow alias '\(alias)' was set on version \(version)" }
        do {
            return try ReleaseRequest.validated(
                model: model, version: version, uri: resolved.uri, metrics: resolved.metrics,
                source: ReleaseRequest.Source(runURL: resolved.runURL, pipeline: Self.pipeline), idempotencyKey: key,
                environments: environments, skipStagesReason: skip)
        } catch {
            throw IntakeRejection(status: 422, title: "the MLflow version cannot be released", problems: error.problems)
        }
    }
}

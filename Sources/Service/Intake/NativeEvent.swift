public import JSON
public import Promotion

/// The native intake event (`POST /v1/events`, `Content-Type: application/json`): decoding and every field rule of
/// the contract, reporting all failing fields at once.
public enum NativeEvent {
    /// The top-level members the contract knows.
    public static let fields: Set<String> = ["model", "version", "uri", "metrics", "source", "idempotencyKey", "environments"]

    /// A body that is not a release request, classified the way the HTTP layer answers it.
    public enum Rejection: Error, Sendable, Hashable {
        /// Not JSON, empty, or duplicate keys (400); `field` names a duplicated member.
        case malformed(String, field: String? = nil)
        /// JSON that breaks the rules (422), every failing field named.
        case invalid([FieldProblem])
    }

    /// Decodes a body into a release request checked against the contract and the configuration
    /// (allowed URI prefixes of the model, known environment names).
    public static func decode(_ body: [UInt8], config: PromoteConfig?) throws(Rejection) -> ReleaseRequest {
        let json: JSONValue
        do { json = try JSONParser.parse(body) } catch { throw .malformed(error.description, field: error.duplicateKey) }
        return try decode(json, config: config)
    }

    /// Decodes an already parsed value (the native event inside a CloudEvent's data, for example).
    public static func decode(_ json: JSONValue, config: PromoteConfig?, fieldPrefix: String = "") throws(Rejection) -> ReleaseRequest {
        var problems: [FieldProblem] = []
        func problem(_ field: String, _ message: String) { problems.append(FieldProblem(field: fieldPrefix + field, message: message)) }
        guard case .object(let members) = json else {
            throw .invalid([FieldProblem(field: fieldPrefix, message: "the body must be a JSON object, not \(json.typeDescription)")])
        }
        for key in members.keys.sorted() where !fields.contains(key) { problem(key, "unknown field") }

        func string(_ key: String, required: Bool) -> String? {
            guard let value = json[key] else {
                if required { problem(key, "is required") }
                return nil
            }
            guard case .string(let text) = value else {
                if case .number = value, key == "version" {
                    problem(key, "must be a string, not a number (write the version in quotes: as a number 1.10 is 1.1)")
                } else {
                    problem(key, "must be a string, not \(value.typeDescription)")
                }
                return nil
            }
            return text
        }
        let model = string("model", required: true)
        let version = string("version", required: true)
        let uri = string("uri", required: true)
        let key = string("idempotencyKey", required: false)

        var metrics: [String: Double] = [:]
        switch json["metrics"] {
        case nil: break
        case .object(let entries)?:
            for (name, value) in entries.sorted(by: { $0.key < $1.key }) {
                if case .number(let n) = value { metrics[name] = n } else { problem("metrics.\(name)", "must be a number, not \(value.typeDescription)") }
            }
        case let other?: problem("metrics", "must be an object of name -> number, not \(other.typeDescription)")
        }

        var source = ReleaseRequest.Source()
        switch json["source"] {
        case nil: break
        case .object(let entries)?:
            for (name, value) in entries.sorted(by: { $0.key < $1.key }) {
                guard ["commit", "runUrl", "pipeline"].contains(name) else {
                    problem("source.\(name)", "unknown field (source takes commit, runUrl, pipeline)")
                    continue
                }
                guard case .string(let text) = value else {
                    problem("source.\(name)", "must be a string, not \(value.typeDescription)")
                    continue
                }
                switch name {
                case "commit": source.commit = text
                case "runUrl": source.runURL = text
                default: source.pipeline = text
                }
            }
        case let other?: problem("source", "must be an object, not \(other.typeDescription)")
        }

        var environments: [String]?
        switch json["environments"] {
        case nil: break
        case .array(let items)?:
            environments = []
            for (i, item) in items.enumerated() {
                if case .string(let name) = item { environments?.append(name) } else {
                    problem("environments[\(i)]", "must be a string, not \(item.typeDescription)")
                }
            }
        case let other?: problem("environments", "must be an array of environment names, not \(other.typeDescription)")
        }

        // Value rules, for the fields whose type was right.
        let typed = Set(problems.map(\.field))
        do {
            let request = try ReleaseRequest.validated(
                model: model ?? "x", version: version ?? "1", uri: uri ?? "gs://x/y", metrics: metrics, source: source,
                idempotencyKey: key, environments: environments)
            if problems.isEmpty, let config {
                problems += configProblems(request, config: config).map { FieldProblem(field: fieldPrefix + $0.field, message: $0.message) }
            }
            guard problems.isEmpty else { throw Rejection.invalid(problems) }
            return request
        } catch let error as InvalidRelease {
            problems += error.problems.map { FieldProblem(field: fieldPrefix + $0.field, message: $0.message) }
                .filter { !typed.contains($0.field) }
            throw .invalid(problems)
        } catch let error as Rejection {
            throw error
        } catch {
            throw .invalid(problems)
        }
    }

    /// The rules that depend on configuration: known environments and the model's allowed URI prefixes.
    public static func configProblems(_ request: ReleaseRequest, config: PromoteConfig) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        let allowed = config.model(request.model).allowedURIs
        if !allowed.isEmpty, !allowed.contains(where: request.uri.hasPrefix) {
            problems.append(FieldProblem(field: "uri", message: "is not under the allowed prefixes of \(request.model): \(allowed.joined(separator: ", "))"))
        }
        for (i, env) in (request.environments ?? []).enumerated() where config.environment(named: env) == nil {
            problems.append(FieldProblem(
                field: "environments[\(i)]", message: "unknown environment '\(env)' (configured: \(config.environments.map(\.name).joined(separator: ", ")))"))
        }
        return problems
    }
}

import Foundation
internal import JSON
public import Promotion

/// Turns an intake HTTP request (`POST /v1/events`) into a release request, whatever its format: the native JSON
/// event, or a CloudEvent 1.0 in binary or structured mode carrying a CDEvents `artifact.published` (0.4 and 0.5)
/// or the native event as its data. Pure: the HTTP layer hands in the headers and the body.
public enum EventIntake {
    /// The largest body accepted.
    public static let maxBodyBytes = 1 << 20

    /// Decodes a request. `headers` keys must be lowercased; values are as received.
    public static func decode(headers: [String: String], body: [UInt8], config: PromoteConfig?) throws(IntakeRejection) -> ReleaseRequest {
        guard body.count <= maxBodyBytes else {
            throw IntakeRejection(status: 413, title: "the body is larger than \(maxBodyBytes) bytes")
        }
        let contentType = (headers["content-type"] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if contentType == "application/cloudevents-batch+json" {
            throw IntakeRejection(status: 415, title: "CloudEvents batches are not accepted; send one event per request")
        }
        if contentType == "application/cloudevents+json" {
            return try structured(body: body, config: config)
        }
        if headers["ce-specversion"] != nil {
            return try binary(headers: headers, contentType: contentType, body: body, config: config)
        }
        guard contentType == "application/json" else {
            throw IntakeRejection(
                status: 415,
                title: "unsupported Content-Type '\(contentType)'; send application/json (native event) or a CloudEvent")
        }
        do { return try NativeEvent.decode(body, config: config) } catch { throw rejection(error) }
    }

    static func rejection(_ error: NativeEvent.Rejection) -> IntakeRejection {
        switch error {
        case .malformed(let message, let field):
            IntakeRejection(
                status: 400, title: "the body is not valid JSON: \(message)",
                problems: field.map { [FieldProblem(field: $0, message: "appears more than once")] } ?? [])
        case .invalid(let problems): IntakeRejection(status: 422, title: "the event breaks the contract", problems: problems)
        }
    }

    static func parse(_ body: [UInt8]) throws(IntakeRejection) -> JSONValue {
        do { return try JSONParser.parse(body) } catch {
            throw IntakeRejection(status: 400, title: "the body is not valid JSON: \(error)")
        }
    }

    // MARK: - CloudEvents

    static func binary(headers: [String: String], contentType: String, body: [UInt8], config: PromoteConfig?) throws(IntakeRejection) -> ReleaseRequest {
        var attributes: [String: String] = [:]
        for (name, value) in headers where name.hasPrefix("ce-") {
            guard let decoded = PackageURL.decode(Substring(value)) else {
                throw IntakeRejection(status: 400, title: "bad CloudEvents header", problems: [.init(field: name, message: "is not validly percent-encoded")])
            }
            attributes[String(name.dropFirst(3))] = decoded
        }
        try checkEnvelope(attributes, prefix: "ce-")
        guard contentType == "application/json" || contentType.isEmpty else {
            throw IntakeRejection(status: 415, title: "a binary-mode CloudEvent carries its data as application/json, not '\(contentType)'")
        }
        return try event(attributes: attributes, data: parse(body), prefix: "ce-", config: config)
    }

    static func structured(body: [UInt8], config: PromoteConfig?) throws(IntakeRejection) -> ReleaseRequest {
        let envelope = try parse(body)
        guard case .object(let members) = envelope else {
            throw IntakeRejection(status: 400, title: "a structured CloudEvent must be a JSON object")
        }
        var attributes: [String: String] = [:]
        for (key, value) in members.sorted(by: { $0.key < $1.key }) where key != "data" && key != "data_base64" {
            if case .string(let text) = value { attributes[key] = text }
        }
        try checkEnvelope(attributes, prefix: "")
        if let type = attributes["datacontenttype"], !type.lowercased().hasPrefix("application/json") {
            throw IntakeRejection(status: 415, title: "CloudEvent data must be application/json, not '\(type)'")
        }
        guard let data = envelope["data"] else {
            throw IntakeRejection(status: 422, title: "the CloudEvent has no data", problems: [.init(field: "data", message: "is required")])
        }
        return try event(attributes: attributes, data: data, prefix: "", config: config)
    }

    static func checkEnvelope(_ attributes: [String: String], prefix: String) throws(IntakeRejection) {
        for required in ["specversion", "id", "source", "type"] where (attributes[required] ?? "").isEmpty {
            throw IntakeRejection(status: 400, title: "not a valid CloudEvent", problems: [.init(field: prefix + required, message: "is required")])
        }
        guard attributes["specversion"] == "1.0" else {
            throw IntakeRejection(
                status: 400, title: "unsupported CloudEvents version",
                problems: [.init(field: prefix + "specversion", message: "must be 1.0, not \(attributes["specversion"] ?? "")")])
        }
    }

    static func event(attributes: [String: String], data: JSONValue, prefix: String, config: PromoteConfig?) throws(IntakeRejection) -> ReleaseRequest {
        let type = attributes["type"] ?? ""
        if let contextType = data["context"]?["type"]?.string, contextType != type {
            throw IntakeRejection(
                status: 422, title: "the CloudEvent and the CDEvent disagree",
                problems: [.init(field: prefix + "type", message: "'\(type)' differs from the CDEvent's context.type '\(contextType)'")])
        }
        // CloudEvents: the same (source, id) is the same event.
        let defaultKey = String(String.UnicodeScalarView(
            "ce:\(attributes["source"] ?? "")#\(attributes["id"] ?? "")".unicodeScalars.filter { (0x21...0x7e).contains($0.value) }))
        if type.hasPrefix("dev.cdevents.artifact.published.0.") {
            return try cdevent(type: type, data: data, prefix: prefix, defaultKey: defaultKey, config: config)
        }
        if type == "dev.promote.release.v1" || type.hasPrefix("dev.promote.release.") {
            // The native event as the CloudEvent's data.
            var native = data
            if case .object(var members) = data, data["idempotencyKey"] == nil {
                members["idempotencyKey"] = .string(String(defaultKey.prefix(200)))
                native = .object(members)
            }
            do { return try NativeEvent.decode(native, config: config, fieldPrefix: "data.") } catch { throw rejection(error) }
        }
        throw IntakeRejection(
            status: 422, title: "unsupported event type",
            problems: [.init(field: "type", message: "'\(type)' is not accepted (use dev.cdevents.artifact.published.0.x or dev.promote.release.v1)")])
    }

    static func cdevent(type: String, data: JSONValue, prefix: String, defaultKey: String, config: PromoteConfig?) throws(IntakeRejection) -> ReleaseRequest {
        guard case .object = data, data["context"] != nil, let subject = data["subject"] else {
            throw IntakeRejection(status: 422, title: "not a CDEvent", problems: [.init(field: "data", message: "must hold the CDEvent (context, subject)")])
        }
        guard let id = subject["id"]?.string else {
            throw IntakeRejection(status: 422, title: "not an artifact event", problems: [.init(field: "subject.id", message: "is required")])
        }
        guard let purl = PackageURL(id) else {
            throw IntakeRejection(status: 422, title: "not an artifact event", problems: [.init(field: "subject.id", message: "'\(id)' is not a package URL")])
        }
        guard let version = purl.version, let uri = purl.qualifiers["download_url"] else {
            throw IntakeRejection(
                status: 422, title: "the artifact has no location",
                problems: [.init(field: "subject.id", message: "the package URL needs a version and a download_url qualifier (the artifact URI)")])
        }
        // Optional native fields travel in customData.
        var members: [String: JSONValue] = ["model": .string(purl.name), "version": .string(version), "uri": .string(uri)]
        if case .object(let custom)? = data["customData"] {
            for (key, value) in custom.sorted(by: { $0.key < $1.key }) {
                guard ["metrics", "source", "idempotencyKey", "environments"].contains(key) else {
                    throw IntakeRejection(status: 422, title: "the event breaks the contract", problems: [.init(field: "customData.\(key)", message: "unknown field")])
                }
                members[key] = value
            }
        }
        if members["idempotencyKey"] == nil { members["idempotencyKey"] = .string(String(defaultKey.prefix(200))) }
        do { return try NativeEvent.decode(.object(members), config: config) } catch { throw rejection(error) }
    }
}

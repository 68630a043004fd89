internal import JSON

/// Typed, path-named access to a webhook body: every failure names the dotted path of the field.
struct WebhookFields {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String = "") {
        self.value = value
        self.path = path
    }

    /// The body `bytes` parsed as a JSON object.
    static func parse(_ bytes: [UInt8]) throws(ForgeWebhookError) -> WebhookFields {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch { throw .malformedJSON(detail: error.description) }
        guard case .object = value else { throw .malformedJSON(detail: "found \(value.typeDescription) at the top level") }
        return WebhookFields(value)
    }

    private func pathOf(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The present, non-null value at `key`.
    private func required(_ key: String) throws(ForgeWebhookError) -> JSONValue {
        guard let found = value[key], !found.isNull else { throw .missingField(pathOf(key)) }
        return found
    }

    func object(_ key: String) throws(ForgeWebhookError) -> WebhookFields {
        let found = try required(key)
        guard case .object = found else { throw .wrongType(field: pathOf(key), expected: "an object", found: found.typeDescription) }
        return WebhookFields(found, path: pathOf(key))
    }

    func string(_ key: String) throws(ForgeWebhookError) -> String {
        let found = try required(key)
        guard let string = found.string else { throw .wrongType(field: pathOf(key), expected: "a string", found: found.typeDescription) }
        return string
    }

    func int(_ key: String) throws(ForgeWebhookError) -> Int {
        let found = try required(key)
        guard let int = found.int else { throw .wrongType(field: pathOf(key), expected: "an integer", found: found.typeDescription) }
        return int
    }

    /// The string at `key`, `nil` when absent or null.
    func optionalString(_ key: String) throws(ForgeWebhookError) -> String? {
        guard let found = value[key], !found.isNull else { return nil }
        guard let string = found.string else { throw .wrongType(field: pathOf(key), expected: "a string", found: found.typeDescription) }
        return string
    }

    /// The boolean at `key`, `nil` when absent or null.
    func optionalBool(_ key: String) throws(ForgeWebhookError) -> Bool? {
        guard let found = value[key], !found.isNull else { return nil }
        guard let bool = found.bool else { throw .wrongType(field: pathOf(key), expected: "a boolean", found: found.typeDescription) }
        return bool
    }

    /// The object at `key`, `nil` when absent or null.
    func optionalObject(_ key: String) throws(ForgeWebhookError) -> WebhookFields? {
        guard let found = value[key], !found.isNull else { return nil }
        return try object(key)
    }

    /// Whether `key` is present and not null.
    func has(_ key: String) -> Bool { value[key].map { !$0.isNull } ?? false }
}

internal import Foundation
internal import JSON
internal import Promotion

/// The OpenAPI 3.1 description of the service's own API (`Resources/openapi.json`, compiled in), served at
/// `/openapi.json` with `info.version` set to the binary's version. The 405 answers (``MethodNotAllowedMiddleware``)
/// take their `Allow` lists from its `paths`; `Tests/python/test_serve_api.py` runs schemathesis against it.
enum OpenAPIDocument {
    /// The document as parsed from the resource.
    static let document: JSONValue = {
        guard let value = JSONValue.parse(Data(PackageResources.openapi_json)) else {
            preconditionFailure("Resources/openapi.json is not JSON")
        }
        return value
    }()

    /// The served bytes: the document with `info.version` = `version`, and the native event's configuration-dependent
    /// rules written in: `environments` items limited to the configured names, and for each model with `allowedUris`
    /// its `uri` limited to those prefixes; with `service.access.publicRead`, the reads without a security requirement.
    static func json(version: String, config: PromoteConfig? = nil) -> [UInt8] {
        guard case .object(var root) = document, case .object(var info)? = root["info"] else { return [] }
        info["version"] = .string(version)
        root["info"] = .object(info)
        if let config, case .object(var components)? = root["components"], case .object(var schemas)? = components["schemas"],
            case .object(var event)? = schemas["NativeEvent"], case .object(var properties)? = event["properties"],
            case .object(var environments)? = properties["environments"]
        {
            environments["items"] = ["type": "string", "enum": .array(config.environments.map { .string($0.name) })]
            properties["environments"] = .object(environments)
            event["properties"] = .object(properties)
            let rules: [JSONValue] = config.models.keys.sorted().compactMap { name in
                let prefixes = config.models[name]?.allowedURIs ?? []
                guard !prefixes.isEmpty else { return nil }
                let pattern = "^(" + prefixes.map(escapeRegex).joined(separator: "|") + ")"
                return [
                    "if": ["properties": ["model": ["const": .string(name)]], "required": ["model"]],
                    "then": ["properties": ["uri": ["pattern": .string(pattern)]]],
                ]
            }
            if !rules.isEmpty { event["allOf"] = .array(rules) }
            schemas["NativeEvent"] = .object(event)
            components["schemas"] = .object(schemas)
            root["components"] = .object(components)
        }
        if config?.service.access?.publicRead == true, case .object(var paths)? = root["paths"] {
            // `publicRead: true` opens the reads on purpose: this instance asks no token for them.
            for (path, item) in paths {
                guard case .object(var operations) = item else { continue }
                for (method, operation) in operations {
                    guard case .object(var op) = operation, op["security"] == JSONValue.array([.object(["readToken": .array([])])]) else { continue }
                    op["security"] = .array([])
                    operations[method] = .object(op)
                }
                paths[path] = .object(operations)
            }
            root["paths"] = .object(paths)
        }
        return Array(JSONWriter.write(.object(root)))
    }

    /// `text` as a literal in an ECMA-262 pattern.
    static func escapeRegex(_ text: String) -> String {
        var out = ""
        for c in text {
            if "\\^$.|?*+()[]{}/".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Every path template (`/v1/promotions/{id}`) with the methods it answers, upper-case.
    static let routes: [(template: String, methods: [String])] = {
        (document["paths"]?.object ?? [:]).map { path, item in
            let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"].filter { item[$0] != nil }
            return (template: path, methods: methods.map { $0.uppercased() })
        }.sorted { $0.template < $1.template }
    }()

    /// The methods the document allows on `path` (a concrete path), or nil when no path template matches it.
    static func allowedMethods(for path: String) -> [String]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for route in routes {
            let template = route.template.split(separator: "/", omittingEmptySubsequences: false)
            guard template.count == segments.count else { continue }
            let matches = zip(template, segments).allSatisfy { t, s in
                (t.hasPrefix("{") && t.hasSuffix("}") && !s.isEmpty) || t == s
            }
            if matches { return route.methods }
        }
        return nil
    }
}

extension ConfigDecoder {
    /// `service.access`: `tokens: [{name, tokenEnv, scopes: [read, promote]}]`, `publicRead`, `proxyUserHeader`,
    /// `trustedProxies`, `proxyScopes`, `sessionLifetime`.
    static func decodeAccess(_ a: inout ConfigReader) -> AccessSettings {
        var access = AccessSettings()
        var names = Set<String>()
        for (index, var t) in a.mappings("tokens").enumerated() {
            let name = t.string("name", required: true) ?? ""
            let env = t.string("tokenEnv", required: true, fix: "name the environment variable that holds the token") ?? ""
            var scopes = Set<AccessSettings.Scope>()
            for scope in t.stringList("scopes") ?? [] {
                if let known = AccessSettings.Scope(rawValue: scope) { scopes.insert(known) } else {
                    t.report("scopes", "'\(scope)' is not one of read, promote")
                }
            }
            if scopes.isEmpty { t.report("scopes", "is required: [read] or [read, promote]") }
            if !name.isEmpty, !names.insert(name).inserted { a.report("tokens", "token name '\(name)' (tokens[\(index)]) is used twice") }
            if !name.isEmpty, !env.isEmpty { access.tokens.append(.init(name: name, tokenEnv: env, scopes: scopes)) }
            t.finish()
        }
        access.publicRead = a.bool("publicRead") ?? false
        access.proxyUserHeader = a.string("proxyUserHeader")
        access.trustedProxies = a.stringList("trustedProxies") ?? []
        if access.proxyUserHeader != nil, access.trustedProxies.isEmpty {
            a.report("trustedProxies", "is required with proxyUserHeader: list the proxy's addresses (e.g. [127.0.0.1])")
        }
        if let scopes = a.stringList("proxyScopes") {
            access.proxyScopes = Set(scopes.compactMap { scope in
                let known = AccessSettings.Scope(rawValue: scope)
                if known == nil { a.report("proxyScopes", "'\(scope)' is not one of read, promote") }
                return known
            })
        }
        if let lifetime = a.string("sessionLifetime") {
            if let seconds = parseDuration(lifetime) { access.sessionLifetime = seconds } else {
                a.report("sessionLifetime", "'\(lifetime)' is not a duration such as 30m or 8h")
            }
        }
        return access
    }
}

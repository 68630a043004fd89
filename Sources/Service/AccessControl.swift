internal import Foundation
internal import HTTPTypes
internal import NIOCore
public import Promotion
internal import WebhookSignatures

/// `service.access` resolved at startup: the named tokens (values read from the environment once), the trusted
/// proxies, and who a request's credentials name (DESIGN.md section 5, "Access").
public struct AccessControl: Sendable {
    struct ResolvedToken: Sendable {
        var name: String
        var value: String
        var scopes: Set<AccessSettings.Scope>
    }

    let settings: AccessSettings
    let tokens: [ResolvedToken]
    let trustedProxies: Set<String>

    /// Reads each token's environment variable; a token that is not set, empty or contains whitespace stops the
    /// service with a message naming the variable (never the value).
    public init(settings: AccessSettings?, environment: [String: String]) throws(ServiceSetupError) {
        let settings = settings ?? AccessSettings()
        var tokens: [ResolvedToken] = []
        for token in settings.tokens {
            guard let value = environment[token.tokenEnv], !value.isEmpty else {
                throw ServiceSetupError("the access token '\(token.name)' is not set: export \(token.tokenEnv) (named by service.access.tokens)")
            }
            guard !value.contains(where: \.isWhitespace) else {
                throw ServiceSetupError("the access token in \(token.tokenEnv) ('\(token.name)') contains whitespace")
            }
            tokens.append(.init(name: token.name, value: value, scopes: token.scopes))
        }
        self.settings = settings
        self.tokens = tokens
        trustedProxies = Set(settings.trustedProxies.map(Self.normalised))
    }

    /// True when nothing at all can read: no token, no proxy, reads not public.
    public var isClosed: Bool { tokens.isEmpty && settings.proxyUserHeader == nil && !settings.publicRead }

    /// The principal a presented token names, comparing against every configured token in constant time.
    func principal(token presented: String) -> Principal? {
        var found: ResolvedToken?
        for token in tokens where ConstantTime.tokensEqual(presented, token.value) { found = token }
        return found.map { Principal(name: $0.name, scopes: $0.scopes, proof: .token) }
    }

    /// The principal an authenticating proxy names, only when the peer is one of `trustedProxies`.
    func principal(proxyUser headers: [String: String], peer: SocketAddress?) -> Principal? {
        guard let header = settings.proxyUserHeader?.lowercased(), let user = headers[header]?.trimmingCharacters(in: .whitespaces),
            !user.isEmpty, user.count <= 200, !user.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 0x20 } ?? false }),
            let address = peer?.ipAddress, trustedProxies.contains(Self.normalised(address))
        else { return nil }
        return Principal(name: user, scopes: settings.proxyScopes, proof: .proxy)
    }

    /// Who may read when nobody authenticated: everyone, when `publicRead` says so.
    var anonymous: Principal? { settings.publicRead ? Principal(name: "anonymous", scopes: [.read], proof: .publicRead) : nil }

    /// IPv4-mapped IPv6 (`::ffff:127.0.0.1`) compares equal to the IPv4 address.
    static func normalised(_ address: String) -> String {
        address.lowercased().hasPrefix("::ffff:") && address.contains(".") ? String(address.dropFirst(7)) : address.lowercased()
    }
}

extension AccessControl {
    /// What a request's credentials say.
    enum Identity: Sendable {
        /// Nobody presented anything (the caller may still be let in by `publicRead`).
        case nobody
        case known(Principal)
        /// Credentials were presented and are wrong; the reason names no secret.
        case refused(String)
    }

    /// Who the request names: a bearer token first, else the session (page routes pass it), else a trusted proxy's
    /// user header. A presented token that matches none is refused, whatever else the request carries.
    func identify(headers: [String: String], peer: SocketAddress?, session: Principal? = nil) -> Identity {
        if let authorization = headers["authorization"] {
            let value = authorization.trimmingCharacters(in: .whitespaces)
            guard value.count > 7, value.prefix(7).lowercased() == "bearer " else {
                return .refused("the Authorization header is not 'Bearer <token>'")
            }
            let presented = value.dropFirst(7).trimmingCharacters(in: .whitespaces)
            guard let principal = principal(token: presented) else { return .refused("the token is not valid") }
            return .known(principal)
        }
        if let session { return .known(session) }
        if let proxied = principal(proxyUser: headers, peer: peer) { return .known(proxied) }
        return .nobody
    }

    /// The principal allowed `scope`, or the 401/403 problem.
    func authorize(_ identity: Identity, scope: AccessSettings.Scope) -> Result<Principal, Problem> {
        switch identity {
        case .refused(let reason):
            return .failure(Self.unauthorized(reason))
        case .nobody:
            if scope == .read, let anonymous { return .success(anonymous) }
            return .failure(Self.unauthorized(
                isClosed
                    ? "no access is configured: set service.access.tokens (or publicRead: true)"
                    : "send Authorization: Bearer <token> with a token that has the '\(scope.rawValue)' scope"))
        case .known(let principal):
            guard principal.allows(scope) else {
                return .failure(Problem(
                    .forbidden, "forbidden", "not allowed",
                    detail: "'\(principal.name)' does not have the '\(scope.rawValue)' scope"))
            }
            return .success(principal)
        }
    }

    static func unauthorized(_ reason: String) -> Problem {
        Problem(.unauthorized, "unauthorized", "authentication required", detail: reason, headers: [.wwwAuthenticate: #"Bearer realm="promote""#])
    }
}

/// `service.access`: who may read the status page and the read API, and who may promote through the API
/// (DESIGN.md section 5, "Access"). Tokens are named (the name is the audit actor); their values come from the
/// environment variables named here, never from the file.
public struct AccessSettings: Sendable, Hashable {
    /// What a token allows.
    public enum Scope: String, Sendable, Hashable, CaseIterable, Codable {
        /// The status page, `/v1/status`, `/v1/promotions/*`, `/v1/audit`.
        case read
        /// `POST /v1/promotions`: release, roll back or advance from the API or the page.
        case promote
    }

    /// One API token.
    public struct Token: Sendable, Hashable {
        /// Who holds it: the actor the audit log records.
        public var name: String
        /// The environment variable holding the token.
        public var tokenEnv: String
        public var scopes: Set<Scope>

        public init(name: String, tokenEnv: String, scopes: Set<Scope>) {
            self.name = name
            self.tokenEnv = tokenEnv
            self.scopes = scopes
        }
    }

    public var tokens: [Token]
    /// Opens the reads (not promoting) to everyone, on purpose.
    public var publicRead: Bool
    /// The header an authenticating proxy sets to the user's name (e.g. `X-Forwarded-User`); nil: none trusted.
    public var proxyUserHeader: String?
    /// Peer addresses (IPv4/IPv6 literals) whose `proxyUserHeader` is believed; from anyone else it is ignored.
    public var trustedProxies: [String]
    /// The scopes a user named by the proxy gets.
    public var proxyScopes: Set<Scope>
    /// Seconds a page session lasts after login.
    public var sessionLifetime: Double

    public init(
        tokens: [Token] = [], publicRead: Bool = false, proxyUserHeader: String? = nil, trustedProxies: [String] = [],
        proxyScopes: Set<Scope> = [.read], sessionLifetime: Double = 8 * 3600
    ) {
        self.tokens = tokens
        self.publicRead = publicRead
        self.proxyUserHeader = proxyUserHeader
        self.trustedProxies = trustedProxies
        self.proxyScopes = proxyScopes
        self.sessionLifetime = sessionLifetime
    }
}

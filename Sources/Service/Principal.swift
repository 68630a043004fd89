public import Promotion

/// Who is asking, and what they may do.
public struct Principal: Sendable, Hashable {
    /// How they proved it.
    public enum Proof: String, Sendable, Hashable {
        /// `Authorization: Bearer <token>` with a configured token.
        case token
        /// A page session opened by logging in with a token.
        case session
        /// An authenticating proxy's user header, from a trusted address.
        case proxy
        /// Nobody: `service.access.publicRead` opens the reads.
        case publicRead = "public"
    }

    /// The audit actor: the token's name, or the user the proxy named.
    public var name: String
    public var scopes: Set<AccessSettings.Scope>
    public var proof: Proof

    public init(name: String, scopes: Set<AccessSettings.Scope>, proof: Proof) {
        self.name = name
        self.scopes = scopes
        self.proof = proof
    }

    public func allows(_ scope: AccessSettings.Scope) -> Bool { scopes.contains(scope) }
}

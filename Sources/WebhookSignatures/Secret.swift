/// A secret (a webhook secret, a token): it never prints. `description`, `debugDescription`, `dump` and `Mirror`
/// all show `Secret(<redacted>)`, so a secret held in a struct stays out of logs even when a library prints the
/// whole struct (ServiceLifecycle does, at debug level). Read the value only where it is used: ``exposed``.
public struct Secret: Sendable, Hashable, Redacting {
    /// The secret itself, for the one call that needs it.
    public let exposed: String

    public init(_ value: String) { exposed = value }
}

/// A type that holds secrets and therefore prints as its name and `<redacted>`, with no children for `Mirror`
/// and `dump`.
public protocol Redacting: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {}

extension Redacting {
    public var description: String { "\(Self.self)(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension StandardWebhookVerifier: Redacting {}
extension BearerTokenVerifier: Redacting {}
extension MLflowSignatureVerifier: Redacting {}
extension ForgeSignatureVerifier: Redacting {}

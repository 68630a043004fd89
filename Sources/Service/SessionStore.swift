internal import Foundation
internal import Synchronization
internal import WebhookSignatures

/// Page sessions, signed instead of stored: the `promote_session` cookie (HttpOnly, SameSite=Strict) carries the
/// token name the browser logged in with, an expiry and a nonce, signed with HMAC-SHA256 keyed by that token's own
/// value. Any replica with the same `service.access` accepts it, a restart keeps it, and rotating or removing the
/// token ends every session opened with it. The CSRF token every form carries is derived from the cookie the same
/// way. Logging out expires the cookie and refuses that session on this replica until it would have expired.
public final class SessionStore: Sendable {
    /// One logged-in browser.
    struct Session: Sendable {
        var principal: Principal
        var csrf: String
        var expires: Date
    }

    static let cookieName = "promote_session"
    let lifetime: Double
    private let access: AccessControl
    /// Sessions logged out here, until they would have expired.
    private let closed = Mutex<[String: Date]>([:])

    init(lifetime: Double, access: AccessControl) {
        self.lifetime = lifetime
        self.access = access
    }

    /// Opens a session for a principal who logged in with a token; returns its id (the cookie's value) and CSRF
    /// token, or nil when no configured token has that name.
    func open(_ principal: Principal, now: Date) -> (id: String, csrf: String)? {
        guard let key = key(of: principal.name) else { return nil }
        let expires = Int(now.addingTimeInterval(lifetime).timeIntervalSince1970)
        let payload = "v1.\(Self.base64URL(Array(principal.name.utf8))).\(expires).\(Self.random())"
        let id = payload + "." + Self.mac(payload, purpose: "session", key: key)
        return (id, Self.mac(payload, purpose: "csrf", key: key))
    }

    /// The live session with this id: signed by a token still configured, not expired, not logged out here.
    func session(_ id: String, now: Date) -> Session? {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "v1", let nameBytes = Self.unbase64URL(String(parts[1])),
            let expiresAt = Int(parts[2]), let token = token(named: String(decoding: nameBytes, as: UTF8.self))
        else { return nil }
        let payload = parts[0...3].joined(separator: ".")
        let key = Array(token.value.utf8)
        guard ConstantTime.tokensEqual(String(parts[4]), Self.mac(payload, purpose: "session", key: key)) else { return nil }
        let expires = Date(timeIntervalSince1970: Double(expiresAt))
        guard expires > now else { return nil }
        let loggedOut = closed.withLock { closed in
            closed = closed.filter { $0.value > now }
            return closed[id] != nil
        }
        if loggedOut { return nil }
        return Session(
            principal: Principal(name: token.name, scopes: token.scopes, proof: .session),
            csrf: Self.mac(payload, purpose: "csrf", key: key), expires: expires)
    }

    /// Logs a session out on this replica (the browser's cookie is expired too).
    func close(_ id: String, now: Date) {
        guard let session = session(id, now: now) else { return }
        closed.withLock { $0[id] = session.expires }
    }

    /// Whether `presented` is the session's CSRF token (constant time).
    static func csrfMatches(_ presented: String?, _ session: Session) -> Bool {
        guard let presented else { return false }
        return ConstantTime.tokensEqual(presented, session.csrf)
    }

    /// The session id from a `Cookie` header.
    static func id(fromCookie header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            if pair.hasPrefix(cookieName + "=") { return String(pair.dropFirst(cookieName.count + 1)) }
        }
        return nil
    }

    /// The `Set-Cookie` value for a session (nil id: expire the cookie).
    func cookie(_ id: String?) -> String {
        guard let id else { return "\(Self.cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" }
        return "\(Self.cookieName)=\(id); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(Int(lifetime))"
    }

    private func token(named name: String) -> AccessControl.ResolvedToken? { access.tokens.first { $0.name == name } }

    private func key(of name: String) -> [UInt8]? { token(named: name).map { Array($0.value.utf8) } }

    private static func mac(_ payload: String, purpose: String, key: [UInt8]) -> String {
        HMACSHA256.authenticationCode(for: Array("promote-\(purpose)|\(payload)".utf8), key: key)
            .map { String(format: "%02x", $0) }.joined()
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func unbase64URL(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }

    /// 16 random bytes, hex.
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

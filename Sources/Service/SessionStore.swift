internal import Foundation
internal import Synchronization
internal import WebhookSignatures

/// Page sessions, server-side: a random id (the `promote_session` cookie: HttpOnly, SameSite=Strict) maps to the
/// principal who logged in, a CSRF token every form of the session carries, and an expiry. Kept in memory: a
/// restart logs everyone out.
public final class SessionStore: Sendable {
    /// One logged-in browser.
    struct Session: Sendable {
        var principal: Principal
        var csrf: String
        var expires: Date
    }

    static let cookieName = "promote_session"
    let lifetime: Double
    private let sessions = Mutex<[String: Session]>([:])

    init(lifetime: Double) { self.lifetime = lifetime }

    /// Opens a session; returns its id and CSRF token.
    func open(_ principal: Principal, now: Date) -> (id: String, csrf: String) {
        let id = Self.random(), csrf = Self.random()
        sessions.withLock { all in
            all = all.filter { $0.value.expires > now }
            all[id] = Session(principal: principal, csrf: csrf, expires: now.addingTimeInterval(lifetime))
        }
        return (id, csrf)
    }

    /// The live session with this id (an expired one is dropped).
    func session(_ id: String, now: Date) -> Session? {
        sessions.withLock { all in
            guard let session = all[id] else { return nil }
            guard session.expires > now else {
                all[id] = nil
                return nil
            }
            return session
        }
    }

    func close(_ id: String) { _ = sessions.withLock { $0.removeValue(forKey: id) } }

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

    /// 32 random bytes, hex.
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

internal import Clibgit2
import Foundation

/// The state libgit2's remote callbacks work on during one operation (passed as their payload). Lives on one thread.
final class RemoteSession {
    let url: String
    let options: RemoteOptions
    var authAttempts = 0
    var leases: [String: ObjectID?] = [:]
    var leaseFailure: String?
    var statuses: [String: String?] = [:]
    var serverMessages: [String] = []

    init(url: String, options: RemoteOptions) {
        self.url = url
        self.options = options
    }

    var payload: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ payload: UnsafeMutableRawPointer?) -> RemoteSession? {
        guard let payload else { return nil }
        return Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
    }

    /// Fills libgit2's callbacks with this session's handlers.
    func install(into callbacks: inout git_remote_callbacks) {
        callbacks.payload = payload
        callbacks.credentials = { out, _, usernameFromURL, allowed, payload in
            guard let session = RemoteSession.from(payload), let out else { return -1 }
            return session.credential(out, usernameFromURL.map { String(cString: $0) }, allowed)
        }
        callbacks.certificate_check = { cert, valid, host, payload in
            guard let session = RemoteSession.from(payload), let cert else { return -1 }
            return session.checkCertificate(cert, valid != 0, host.map { String(cString: $0) } ?? "")
        }
        callbacks.transfer_progress = { stats, payload in
            guard let session = RemoteSession.from(payload), let stats, let progress = session.options.progress else { return 0 }
            let s = stats.pointee
            progress(TransferProgress(
                isPush: false, totalObjects: Int(s.total_objects), receivedObjects: Int(s.received_objects),
                indexedObjects: Int(s.indexed_objects), bytes: Int(s.received_bytes)))
            return 0
        }
        callbacks.push_transfer_progress = { current, total, bytes, payload in
            guard let session = RemoteSession.from(payload), let progress = session.options.progress else { return 0 }
            progress(TransferProgress(
                isPush: true, totalObjects: Int(total), receivedObjects: Int(current), indexedObjects: Int(current),
                bytes: Int(bytes)))
            return 0
        }
        callbacks.sideband_progress = { text, length, payload in
            guard let session = RemoteSession.from(payload), let text, length > 0 else { return 0 }
            let bytes = UnsafeRawBufferPointer(start: text, count: Int(length))
            session.serverMessages.append(String(decoding: bytes, as: UTF8.self))
            return 0
        }
        callbacks.push_update_reference = { refname, status, payload in
            guard let session = RemoteSession.from(payload), let refname else { return 0 }
            session.statuses[String(cString: refname)] = .some(status.map { String(cString: $0) })
            return 0
        }
        callbacks.push_negotiation = { updates, count, payload in
            guard let session = RemoteSession.from(payload) else { return 0 }
            for i in 0..<count {
                guard let update = updates?[i] else { continue }
                let name = String(cString: update.pointee.dst_refname)
                guard let expected = session.leases[name] else { continue }
                let current = ObjectID(update.pointee.src)
                let actual: ObjectID? = current.isZero ? nil : current
                if actual != expected {
                    let message = "lease broken for \(name): expected \(expected?.hex ?? "no branch"), "
                        + "the remote has \(actual?.hex ?? "no branch")"
                    session.leaseFailure = message
                    git_error_set_str(Int32(GIT_ERROR_REFERENCE.rawValue), message)
                    return -1
                }
            }
            return 0
        }
    }

    private func credential(
        _ out: UnsafeMutablePointer<OpaquePointer?>, _ usernameFromURL: String?, _ allowed: UInt32
    ) -> Int32 {
        let where_ = Redaction.redact(url)
        switch options.credentials {
        case .none:
            git_error_set_str(Int32(GIT_ERROR_NET.rawValue), "\(where_) asks for authentication but no credentials are configured")
            return GIT_EAUTH.rawValue
        case let .userPassword(user, password):
            guard allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 else { break }
            authAttempts += 1
            if authAttempts > options.maxAuthAttempts { return rejected(where_) }
            return git_credential_userpass_plaintext_new(out, user, password)
        case let .sshKey(user, privateKey, publicKey, passphrase):
            if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
                return git_credential_username_new(out, usernameFromURL ?? user)
            }
            guard allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 else { break }
            authAttempts += 1
            if authAttempts > options.maxAuthAttempts { return rejected(where_) }
            return git_credential_ssh_key_new(out, usernameFromURL ?? user, publicKey, privateKey, passphrase)
        }
        git_error_set_str(
            Int32(GIT_ERROR_NET.rawValue),
            "\(where_) asks for an authentication method that is not configured (\(options.credentials))")
        return GIT_EAUTH.rawValue
    }

    private func rejected(_ where_: String) -> Int32 {
        git_error_set_str(
            Int32(GIT_ERROR_NET.rawValue),
            "authentication to \(where_) failed: the server rejected the configured credentials (\(options.credentials))")
        return GIT_EAUTH.rawValue
    }

    private func checkCertificate(_ cert: UnsafeMutablePointer<git_cert>, _ valid: Bool, _ host: String) -> Int32 {
        if cert.pointee.cert_type == GIT_CERT_X509 {
            if valid { return 0 }
            let x509 = UnsafeMutableRawPointer(cert).assumingMemoryBound(to: git_cert_x509.self).pointee
            if let der = x509.data, x509.len > 0 {
                let leaf = Data(bytes: der, count: x509.len)
                if options.pinnedCertificateFiles.contains(where: { Self.derCertificates(inPEMFile: $0).contains(leaf) }) { return 0 }
            }
            git_error_set_str(
                Int32(GIT_ERROR_SSL.rawValue),
                "the TLS certificate of \(host) is not trusted (not signed by a system CA and not pinned)")
            return GIT_ECERTIFICATE.rawValue
        }
        guard cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else { return GIT_PASSTHROUGH.rawValue }
        let key = UnsafeMutableRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        let port = URLComponents(string: url)?.port ?? 22
        switch options.hostKey {
        case .refuse:
            return refuseHost("no SSH host key is configured for \(host):\(port) (set a known_hosts file or a fingerprint)")
        case let .fingerprints(pins):
            guard key.type.rawValue & GIT_CERT_SSH_SHA256.rawValue != 0 else {
                return refuseHost("the SSH server \(host):\(port) gave no SHA-256 host key hash")
            }
            let hash = withUnsafeBytes(of: key.hash_sha256) { Data($0) }
            let seen = Self.normalisedFingerprint(hash.base64EncodedString())
            if pins.contains(where: { Self.normalisedFingerprint($0) == seen }) { return 0 }
            return refuseHost("the SSH host key of \(host):\(port) (SHA256:\(seen)) is not one of the pinned fingerprints")
        case let .knownHostsFile(path):
            guard key.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = key.hostkey, key.hostkey_len > 0 else {
                return refuseHost("the SSH server \(host):\(port) gave no raw host key")
            }
            let blob = Data(bytes: raw, count: key.hostkey_len).base64EncodedString()
            switch KnownHosts.check(file: path, host: host, port: port, keyBase64: blob) {
            case .match: return 0
            case let .problem(message): return refuseHost(message)
            }
        }
    }

    private func refuseHost(_ message: String) -> Int32 {
        git_error_set_str(Int32(GIT_ERROR_SSH.rawValue), message)
        return GIT_ECERTIFICATE.rawValue
    }

    /// The DER certificates in a PEM file (empty when unreadable).
    static func derCertificates(inPEMFile path: String) -> [Data] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var out: [Data] = []
        var body: String?
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("-----BEGIN CERTIFICATE") { body = "" } else if line.hasPrefix("-----END CERTIFICATE") {
                if let b = body, let der = Data(base64Encoded: b) { out.append(der) }
                body = nil
            } else if body != nil {
                body! += line.trimmingCharacters(in: .whitespaces)
            }
        }
        return out
    }

    static func normalisedFingerprint(_ text: String) -> String {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("SHA256:") { t.removeFirst(7) }
        while t.hasSuffix("=") { t.removeLast() }
        return t
    }
}

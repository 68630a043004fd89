import Foundation
import Promotion
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Credentials go over plain `http://` only to this machine, decided by the addresses the host resolves to when
/// they are about to be sent (the config already refuses names that are not `localhost` or a loopback literal;
/// this catches a `localhost` that resolves elsewhere).
enum PlainHTTPGuard {
    /// Throws unless `url` is not plain http, or every address its host resolves to is a loopback address.
    static func check(_ url: String, shownAs display: String) throws {
        guard url.lowercased().hasPrefix("http://") else { return }
        let authority = url.dropFirst("http://".count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = LoopbackAddress.host(ofHostPort: String(authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""))
        let addresses = resolve(host)
        guard !addresses.isEmpty, addresses.allSatisfy({ LoopbackAddress.isLoopback(host: $0) }) else {
            throw GitOpsError(
                .authentication,
                "refusing to send credentials over plain http:// to \(display): \(host) resolves to "
                    + (addresses.isEmpty ? "nothing" : addresses.joined(separator: ", ")) + ", not only loopback addresses; use https://")
        }
    }

    /// The numeric addresses `host` resolves to.
    static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var out: [String] = []
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let info = next {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                out.append(String(cString: buffer))
            }
            next = info.pointee.ai_next
        }
        return out
    }
}

internal import Foundation
#if canImport(Glibc)
internal import Glibc
#endif

/// Checks that `promote serve` can listen on an address before the server starts, so that a port in use or an
/// address this machine does not have fails with one clear sentence naming it, instead of the event loop's
/// `bind(descriptor:ptr:bytes:)` text. `promote doctor` runs the same check.
public enum ListenProbe {
    /// Binds (with `SO_REUSEADDR`, as the server does) and releases `host:port`; throws a message naming the
    /// address when that fails. Port 0 always succeeds.
    public static func check(host: String, port: Int) throws(ServiceSetupError) {
        guard port != 0 else { return }
        let shown = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let first = found else {
            throw ServiceSetupError("cannot listen on \(shown): the host '\(host)' does not resolve (\(String(cString: gai_strerror(status))))")
        }
        defer { freeaddrinfo(first) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { throw ServiceSetupError("cannot listen on \(shown): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0, listen(fd, 1) == 0 else {
            let code = errno
            switch code {
            case EADDRINUSE:
                throw ServiceSetupError("cannot listen on \(shown): the address is already in use (is another promote serve running? set service.listen or --listen)")
            case EADDRNOTAVAIL:
                throw ServiceSetupError("cannot listen on \(shown): this machine has no such address")
            case EACCES:
                throw ServiceSetupError("cannot listen on \(shown): permission denied (ports below 1024 need privileges)")
            default:
                throw ServiceSetupError("cannot listen on \(shown): \(String(cString: strerror(code)))")
            }
        }
    }
}

internal import Foundation

/// Which hosts count as loopback for plain `http://`: decided by address, not by how a name starts. Credentials
/// and tokens may travel unencrypted only to this machine.
public enum LoopbackAddress {
    /// The host of `host:port` (`[::1]:8080` gives `::1`), lowercased.
    public static func host(ofHostPort text: String) -> String {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            return String(text[text.index(after: text.startIndex)..<close]).lowercased()
        }
        return String(text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").lowercased()
    }

    /// True for an IPv4 address in 127.0.0.0/8 (four decimal octets), the IPv6 loopback `::1` (also written
    /// out in full, or as `::ffff:127.x.y.z`), and the name `localhost`, which RFC 6761 reserves for loopback.
    public static func isLoopback(host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "localhost." { return true }
        if let v4 = ipv4(host) { return v4.first == 127 }
        if host.hasPrefix("::ffff:"), let v4 = ipv4(String(host.dropFirst("::ffff:".count))) { return v4.first == 127 }
        return ipv6IsLoopback(host)
    }

    static func ipv4(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [Int] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(part), n <= 255 else { return nil }
            octets.append(n)
        }
        return octets
    }

    static func ipv6IsLoopback(_ text: String) -> Bool {
        guard text.contains(":"), text.allSatisfy({ $0.isHexDigit || $0 == ":" }) else { return false }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ s: String) -> [Int]? {
            if s.isEmpty { return [] }
            var out: [Int] = []
            for g in s.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(g.count), let n = Int(g, radix: 16) else { return nil }
                out.append(n)
            }
            return out
        }
        guard let head = groups(halves[0]), let tail = halves.count == 2 ? groups(halves[1]) : [] else { return false }
        let missing = 8 - head.count - tail.count
        guard halves.count == 2 ? missing >= 1 : missing == 0 else { return false }
        let all = head + Array(repeating: 0, count: missing) + tail
        return all == [0, 0, 0, 0, 0, 0, 0, 1]
    }
}

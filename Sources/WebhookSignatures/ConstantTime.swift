internal import Crypto

/// Comparisons whose running time does not depend on where two secrets first differ.
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes. The time taken depends only on the lengths: every byte of
    /// equal-length inputs is visited, with no early exit.
    /// - Parameters:
    ///   - a: one byte string.
    ///   - b: the other.
    /// - Returns: `true` when the lengths and all bytes are equal.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// Whether two tokens are equal, without leaking their contents or their lengths through timing: both are
    /// hashed with SHA-256 first, and the fixed-length digests are compared with ``equals(_:_:)``.
    /// - Parameters:
    ///   - presented: the token a caller sent.
    ///   - expected: the configured token.
    /// - Returns: `true` when the two strings have the same UTF-8 bytes.
    public static func tokensEqual(_ presented: String, _ expected: String) -> Bool {
        let left = Array(SHA256.hash(data: Array(presented.utf8)))
        let right = Array(SHA256.hash(data: Array(expected.utf8)))
        return equals(left, right)
    }
}

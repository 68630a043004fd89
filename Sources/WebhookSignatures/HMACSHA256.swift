internal import Crypto

/// The HMAC-SHA256 core that every webhook scheme here shares, plus the two encodings the schemes put on the wire.
///
/// The key is given as bytes: each scheme decides how its configured secret becomes a key (Standard Webhooks
/// base64-decodes a `whsec_` secret; MLflow and the forges use the secret string's UTF-8 bytes).
public enum HMACSHA256 {
    /// The 32-byte HMAC-SHA256 of `message` under `key`.
    /// - Parameters:
    ///   - message: the exact bytes that were signed.
    ///   - key: the raw key bytes.
    /// - Returns: the authentication code, 32 bytes.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    /// Whether `candidate` is the HMAC-SHA256 of `message` under `key`, compared in constant time.
    /// - Parameters:
    ///   - candidate: the code received (decoded from its wire encoding).
    ///   - message: the exact bytes that were signed.
    ///   - key: the raw key bytes.
    /// - Returns: `true` when the codes are equal; a wrong-length candidate is simply unequal.
    public static func isValid(_ candidate: [UInt8], for message: [UInt8], key: [UInt8]) -> Bool {
        ConstantTime.equals(authenticationCode(for: message, key: key), candidate)
    }
}

/// The timestamp check shared by the timestamped schemes: a whole number of Unix seconds, within a tolerance of now.
struct ReplayWindow: Sendable, Hashable {
    /// Seconds a timestamp may differ from now in either direction.
    var tolerance: Int

    /// The timestamp in `value`, when it is within the window around `now`.
    func check(_ value: String, header: String, now: Int) throws(WebhookVerificationFailure) -> Int {
        let digits = value.utf8
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let timestamp = Int(value)
        else { throw .timestampNotInteger(header: header) }
        if now - timestamp > tolerance { throw .timestampTooOld(header: header, age: now - timestamp, tolerance: tolerance) }
        if timestamp - now > tolerance { throw .timestampInFuture(header: header, ahead: timestamp - now, tolerance: tolerance) }
        return timestamp
    }
}

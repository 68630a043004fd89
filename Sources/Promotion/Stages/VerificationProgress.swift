public import Foundation

/// How far a live version got through its environment's `verify` window (DESIGN.md 1a), persisted with its proposal
/// so that a restart loses nothing and verifies nothing twice.
public struct VerificationProgress: Sendable, Hashable, Codable {
    /// The first sample of the current unbroken run of passing samples (nil: the last sample failed, or none yet).
    public var passingSince: Date?
    /// When the checks were last sampled.
    public var lastSample: Date?
    /// The check that failed the last sample, and why (nil: it passed).
    public var failing: String?

    public init(passingSince: Date? = nil, lastSample: Date? = nil, failing: String? = nil) {
        self.passingSince = passingSince
        self.lastSample = lastSample
        self.failing = failing
    }
}

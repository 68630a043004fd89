public import Foundation

/// The planned change of one spec file in one environment.
public struct SpecPlan: Sendable, Hashable {
    /// The file, relative to the repository root.
    public var path: String
    /// Its bytes now (nil when the file does not exist yet and is onboarded from a template).
    public var old: Data?
    /// Its bytes after the change.
    public var new: Data
    /// The value of the model location before the change (a URI, an image or a version), if there was one.
    public var previousValue: String?
    /// The template the file was created from, for a model onboarded in this environment.
    public var onboardedFrom: String?

    public init(path: String, old: Data?, new: Data, previousValue: String?, onboardedFrom: String?) {
        self.path = path
        self.old = old
        self.new = new
        self.previousValue = previousValue
        self.onboardedFrom = onboardedFrom
    }

    /// The unified diff a reviewer reads.
    public var diff: String {
        UnifiedDiff.make(
            old: old.map { String(decoding: $0, as: UTF8.self) }, new: String(decoding: new, as: UTF8.self), path: path)
    }
}

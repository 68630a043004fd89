public import Foundation

/// The stage rules of DESIGN.md 1a, pure: over the proposals of one model, may a version enter an environment, and
/// which versions does `promote advance` (or `serve`'s schedule) carry on by itself.
public enum StageRules {
    /// May a version enter an environment?
    public enum Entry: Sendable, Hashable {
        /// Yes: it is verified in `from` and soaked long enough, or the environment is an entry point.
        case allowed
        /// `--skip-stages --reason`: it enters although the rules say no (the reason is kept).
        case skipped(reason: String, rule: String)
        /// Not verified in `from` yet.
        case notVerified(from: String)
        /// Verified in `from`, but not for `soak` yet: `remaining` seconds to go.
        case soaking(from: String, remaining: Double)

        /// True when the version may go in.
        public var admits: Bool {
            switch self {
            case .allowed, .skipped: true
            case .notVerified, .soaking: false
            }
        }
    }

    /// One version to carry on.
    public struct Advance: Sendable, Hashable {
        public var version: String
        public var uri: String
        public var environment: String
        public var from: String
    }

    /// Whether `version` may enter `environment`, from the model's `proposals` at `now`; `skipReason` is a
    /// person's `--skip-stages --reason`. `verifiedInRun` names environments verified earlier in the same run
    /// without their proposal stored yet (a dry run), counted as verified now.
    public static func entry(
        version: String, into environment: EnvironmentSettings, proposals: [Proposal], now: Date,
        skipReason: String? = nil, verifiedInRun: Set<String> = []
    ) -> Entry {
        guard let from = environment.stage.from else { return .allowed }
        let rule: Entry
        if verifiedInRun.contains(from) {
            rule = environment.stage.soak > 0 ? .soaking(from: from, remaining: environment.stage.soak) : .allowed
        } else if let verified = proposals.first(where: { $0.environment == from && $0.version == version && $0.state == .verified }) {
            let since = verified.verifiedAt ?? verified.updatedAt
            let remaining = environment.stage.soak - now.timeIntervalSince(since)
            rule = remaining > 0 ? .soaking(from: from, remaining: remaining) : .allowed
        } else {
            rule = .notVerified(from: from)
        }
        if rule.admits { return rule }
        if let skipReason { return .skipped(reason: skipReason, rule: describe(rule, version: version, environment: environment.name)) }
        return rule
    }

    /// Why `entry` refuses, in words.
    public static func describe(_ entry: Entry, version: String, environment: String) -> String {
        switch entry {
        case .allowed: "\(version) may enter \(environment)"
        case .skipped(let reason, let rule): "\(rule); stages skipped: \(reason)"
        case .notVerified(let from): "\(version) is not verified in \(from), which \(environment) comes from"
        case .soaking(let from, let remaining):
            "\(version) is verified in \(from) but must soak there \(formatted(remaining)) more before it enters \(environment)"
        }
    }

    /// The versions to carry on now: for every environment with `promotion: auto` and a `from`, the newest version
    /// verified and soaked in `from` that the environment has never had a proposal of and that is newer than anything
    /// it runs or has up for review. Environments in configuration order.
    public static func advances(environments: [EnvironmentSettings], proposals: [Proposal], now: Date) -> [Advance] {
        var out: [Advance] = []
        for env in environments where env.stage.promotion == .auto {
            guard let from = env.stage.from else { continue }
            let here = proposals.filter { $0.environment == env.name }
            let ahead = here.filter { [.live, .verified, .pullRequestOpen, .pushed, .planned].contains($0.state) }.map(\.version)
            let candidates = proposals.filter { p in
                p.environment == from && p.state == .verified
                    && entry(version: p.version, into: env, proposals: proposals, now: now).admits
                    && !here.contains { $0.version == p.version }
                    && !ahead.contains { !VersionOrder.isOlder($0, than: p.version) }
            }
            guard let newest = candidates.max(by: { VersionOrder.isOlder($0.version, than: $1.version) }) else { continue }
            out.append(Advance(version: newest.version, uri: newest.uri, environment: env.name, from: from))
        }
        return out
    }

    /// Seconds of soak a version verified in `environment`'s `from` still needs before it may enter (nil: not
    /// verified there, or nothing left).
    public static func soakRemaining(version: String, into environment: EnvironmentSettings, proposals: [Proposal], now: Date) -> Double? {
        if case .soaking(_, let remaining) = entry(version: version, into: environment, proposals: proposals, now: now) { return remaining }
        return nil
    }

    static func formatted(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        if s >= 3_600 { return "\(s / 3_600)h\(String(format: "%02d", (s % 3_600) / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }
}

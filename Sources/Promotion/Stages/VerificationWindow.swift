public import Foundation

/// The `verify` window of DESIGN.md 1a, pure: judges raw observations (Argo CD state, Prometheus samples, a check
/// that could not run) and moves a live version's ``VerificationProgress`` on. Every check must pass on every
/// sample, sampled every `every`, without a break for `for`; a check that cannot run is never a pass.
public enum VerificationWindow {
    /// Argo CD passes only when the application is `Synced` at the promoted commit (or a descendant of it, which
    /// the engine learns from git: `revisionReachesCommit`) and `Healthy`.
    public static func judge(argoCD state: ArgoCDApplicationState, application: String, revisionReachesCommit: Bool) -> CheckVerdict {
        let check = "argocd \(application)"
        let message = state.message.map { " (\($0))" } ?? ""
        guard state.syncStatus == "Synced" else {
            return CheckVerdict(check: check, passed: false, detail: "sync status is \(state.syncStatus), not Synced\(message)")
        }
        guard revisionReachesCommit else {
            return CheckVerdict(check: check, passed: false, detail: "synced at \(state.revision ?? "no revision"), which does not contain the promoted commit")
        }
        if let phase = state.operationPhase, phase == "Running" || phase == "Terminating" {
            return CheckVerdict(check: check, passed: false, detail: "a sync is still \(phase.lowercased())\(message)")
        }
        guard state.healthStatus == "Healthy" else {
            return CheckVerdict(check: check, passed: false, detail: "health is \(state.healthStatus), not Healthy\(message)")
        }
        return CheckVerdict(check: check, passed: true, detail: "Synced at \(state.revision ?? "?") and Healthy")
    }

    /// A Prometheus query passes when its result is not empty and every series' value meets the expectation
    /// (NaN never does).
    public static func judge(query: VerifySettings.PrometheusQuery, samples: [PrometheusSample]) -> CheckVerdict {
        let check = "prometheus \(query.name)"
        guard !samples.isEmpty else {
            return CheckVerdict(check: check, passed: false, detail: "the query returned no result (an empty result is not a pass)")
        }
        if let bad = samples.first(where: { $0.value.isNaN || !query.holds($0.value) }) {
            let labels = bad.labels.isEmpty ? "" : " " + bad.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            return CheckVerdict(check: check, passed: false, detail: "\(query.name)\(labels) = \(bad.value), expected \(query.expect)")
        }
        return CheckVerdict(check: check, passed: true, detail: "\(samples.count) series, all \(query.expect)")
    }

    /// A check that could not run: not a pass, and it says why.
    public static func judge(unavailable: CheckUnavailable, check: String) -> CheckVerdict {
        let why: String
        switch unavailable.kind {
        case .unreachable: why = "could not run (source unreachable)"
        case .unauthorized: why = "could not run (the token was refused)"
        case .notFound: why = "could not run (not found)"
        case .invalid: why = "could not run (request refused)"
        case .unexpectedResponse: why = "could not run (unexpected answer)"
        }
        return CheckVerdict(check: check, passed: false, detail: "\(why): \(unavailable.description)", couldNotRun: true)
    }

    /// True when the checks are due for a sample at `now` (none yet, or `every` has passed since the last).
    public static func isDue(_ progress: VerificationProgress?, settings: VerifySettings, now: Date) -> Bool {
        guard let last = progress?.lastSample else { return true }
        return now.timeIntervalSince(last) >= seconds(settings.every) * 0.95
    }

    /// The progress after a sample taken at `now` with `verdicts`, and whether the version is now verified. A failed
    /// check (or none configured: nothing to hold) breaks the run; so does a gap of more than twice `every` since the
    /// last sample (nobody watched in between: the run starts again at this sample).
    public static func next(
        _ progress: VerificationProgress?, verdicts: [CheckVerdict], settings: VerifySettings, now: Date
    ) -> (progress: VerificationProgress, verified: Bool) {
        if let failed = verdicts.first(where: { !$0.passed }) {
            return (VerificationProgress(passingSince: nil, lastSample: now, failing: failed.summary), false)
        }
        guard !verdicts.isEmpty else {
            return (VerificationProgress(passingSince: nil, lastSample: now, failing: "verify: no check is configured"), false)
        }
        var since = progress?.passingSince ?? now
        if let last = progress?.lastSample, now.timeIntervalSince(last) > 2 * seconds(settings.every) { since = now }
        let verified = now.timeIntervalSince(since) >= seconds(settings.holdFor)
        return (VerificationProgress(passingSince: since, lastSample: now, failing: nil), verified)
    }

    /// Seconds the window still needs at `now` (nil: no passing run under way).
    public static func remaining(_ progress: VerificationProgress?, settings: VerifySettings, now: Date) -> Double? {
        guard let since = progress?.passingSince else { return nil }
        return max(0, seconds(settings.holdFor) - now.timeIntervalSince(since))
    }

    /// A duration in seconds.
    public static func seconds(_ duration: Duration) -> Double {
        let (s, atto) = duration.components
        return Double(s) + Double(atto) / 1e18
    }
}

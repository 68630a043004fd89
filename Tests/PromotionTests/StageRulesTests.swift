import Foundation
import Testing
@testable import Promotion

/// The stage rules and the verify window of DESIGN.md 1a over fact tables: no IO, only values.
@Suite struct StageRulesTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let repo = RepositorySettings(url: "file:///r.git", branch: "main")

    static func env(_ name: String, from: String?, mode: EnvironmentSettings.Mode = .push, promotion: StageSettings.Promotion = .auto, soak: Double = 0)
        -> EnvironmentSettings
    {
        EnvironmentSettings(
            name: name, path: "environments/\(name)/{model}.yaml", mode: mode, repository: repo, forge: ForgeSettings(kind: .none),
            stage: StageSettings(from: from, promotion: promotion, soak: soak))
    }

    static func proposal(_ version: String, _ env: String, _ state: ProposalState, verifiedAt: Date? = t0) -> Proposal {
        Proposal(
            model: "jukebox", version: version, environment: env, uri: "gs://m/\(version)", state: state, updatedAt: t0,
            verifiedAt: state == .verified ? verifiedAt : nil)
    }

    /// dev (push) → staging (push) → canary (pull-request) → production (pull-request).
    static let chain = [
        env("dev", from: nil), env("staging", from: "dev"), env("canary", from: "staging", mode: .pullRequest),
        env("production", from: "canary", mode: .pullRequest, soak: 3_600),
    ]

    struct EntryRow: CustomTestStringConvertible, Sendable {
        let name: String
        let environment: Int
        let proposals: [Proposal]
        var skip: String? = nil
        var at: TimeInterval = 0
        let expected: StageRules.Entry
        var testDescription: String { name }
    }

    static let entryRows: [EntryRow] = [
        EntryRow(name: "an entry point takes any version", environment: 0, proposals: [], expected: .allowed),
        EntryRow(name: "order: not verified in from, refused", environment: 1, proposals: [], expected: .notVerified(from: "dev")),
        EntryRow(name: "order: live but not verified in from is not enough", environment: 1,
                 proposals: [proposal("1.0.0", "dev", .live)], expected: .notVerified(from: "dev")),
        EntryRow(name: "order: verified in from may enter", environment: 1, proposals: [proposal("1.0.0", "dev", .verified)], expected: .allowed),
        EntryRow(name: "order: verified in an earlier stage but not in from is refused", environment: 2,
                 proposals: [proposal("1.0.0", "dev", .verified)], expected: .notVerified(from: "staging")),
        EntryRow(name: "order: another version verified in from does not count", environment: 1,
                 proposals: [proposal("0.9.0", "dev", .verified)], expected: .notVerified(from: "dev")),
        EntryRow(name: "soak: verified in from 10 minutes ago, an hour needed", environment: 3,
                 proposals: [proposal("1.0.0", "canary", .verified)], at: 600, expected: .soaking(from: "canary", remaining: 3_000)),
        EntryRow(name: "soak: verified an hour ago may enter", environment: 3,
                 proposals: [proposal("1.0.0", "canary", .verified)], at: 3_600, expected: .allowed),
        EntryRow(name: "skip: --skip-stages --reason enters anyway, the rule kept", environment: 3, proposals: [], skip: "hotfix INC-7",
                 expected: .skipped(reason: "hotfix INC-7", rule: "1.0.0 is not verified in canary, which production comes from")),
    ]

    @Test(arguments: entryRows) func entry(_ row: EntryRow) {
        let entry = StageRules.entry(
            version: "1.0.0", into: Self.chain[row.environment], proposals: row.proposals, now: Self.t0 + row.at, skipReason: row.skip)
        #expect(entry == row.expected)
    }

    @Test func aRunThatJustVerifiedFromCountsItWithoutSoak() {
        #expect(StageRules.entry(version: "1.0.0", into: Self.chain[1], proposals: [], now: Self.t0, verifiedInRun: ["dev"]) == .allowed)
        #expect(StageRules.entry(version: "1.0.0", into: Self.chain[3], proposals: [], now: Self.t0, verifiedInRun: ["canary"])
            == .soaking(from: "canary", remaining: 3_600))
    }

    struct AdvanceRow: CustomTestStringConvertible, Sendable {
        let name: String
        let environments: [EnvironmentSettings]
        let proposals: [Proposal]
        var at: TimeInterval = 0
        let expected: [String]  // "version -> environment"
        var testDescription: String { name }
    }

    static let advanceRows: [AdvanceRow] = [
        AdvanceRow(name: "a version verified in dev moves to staging only", environments: chain,
                   proposals: [proposal("1.0.0", "dev", .verified)], expected: ["1.0.0 -> staging"]),
        AdvanceRow(name: "a merged-and-verified canary opens production after soak", environments: chain,
                   proposals: [proposal("1.0.0", "dev", .verified), proposal("1.0.0", "staging", .verified), proposal("1.0.0", "canary", .verified)],
                   at: 3_600, expected: ["1.0.0 -> production"]),
        AdvanceRow(name: "soak not over: production waits", environments: chain,
                   proposals: [proposal("1.0.0", "staging", .verified), proposal("1.0.0", "canary", .verified)], at: 60, expected: []),
        AdvanceRow(name: "already proposed there: nothing again", environments: chain,
                   proposals: [proposal("1.0.0", "staging", .verified), proposal("1.0.0", "canary", .pullRequestOpen)], expected: []),
        AdvanceRow(name: "a rejected proposal is never re-opened by advance", environments: chain,
                   proposals: [proposal("1.0.0", "staging", .verified), proposal("1.0.0", "canary", .rejected)], expected: []),
        AdvanceRow(name: "the newest verified version goes, older ones do not", environments: chain,
                   proposals: [proposal("1.0.0", "dev", .verified), proposal("1.1.0", "dev", .verified)], expected: ["1.1.0 -> staging"]),
        AdvanceRow(name: "a newer version already there: an older verified one is not carried", environments: chain,
                   proposals: [proposal("1.0.0", "dev", .verified), proposal("1.1.0", "staging", .verified)], expected: ["1.1.0 -> canary"]),
        AdvanceRow(name: "a newer verified version updates an open PR of an older one", environments: chain,
                   proposals: [proposal("1.1.0", "staging", .verified), proposal("1.0.0", "canary", .pullRequestOpen)],
                   expected: ["1.1.0 -> canary"]),
        AdvanceRow(name: "manual: verified in from, but only a person moves it",
                   environments: [env("staging", from: nil), env("production", from: "staging", promotion: .manual)],
                   proposals: [proposal("1.0.0", "staging", .verified)], expected: []),
        AdvanceRow(name: "tree: two children of one parent both advance",
                   environments: [env("staging", from: nil), env("eu", from: "staging"), env("us", from: "staging", mode: .pullRequest)],
                   proposals: [proposal("1.0.0", "staging", .verified)], expected: ["1.0.0 -> eu", "1.0.0 -> us"]),
        AdvanceRow(name: "from: none is another entry point: nothing carried into it",
                   environments: [env("staging", from: nil), env("hotfix", from: nil)],
                   proposals: [proposal("1.0.0", "staging", .verified)], expected: []),
    ]

    @Test(arguments: advanceRows) func advances(_ row: AdvanceRow) {
        let moves = StageRules.advances(environments: row.environments, proposals: row.proposals, now: Self.t0 + row.at)
        #expect(moves.map { "\($0.version) -> \($0.environment)" } == row.expected)
    }

    // MARK: - The verify window

    static let verify = VerifySettings(holdFor: .seconds(2), every: .seconds(1))
    static let pass = CheckVerdict(check: "prometheus error-rate", passed: true, detail: "ok")
    static let fail = CheckVerdict(check: "prometheus error-rate", passed: false, detail: "error-rate = 0.2, expected < 0.01")

    @Test func everySampleMustPassForTheWholeWindow() {
        var (p, verified) = VerificationWindow.next(nil, verdicts: [Self.pass], settings: Self.verify, now: Self.t0)
        #expect(!verified && p.passingSince == Self.t0)
        (p, verified) = VerificationWindow.next(p, verdicts: [Self.pass], settings: Self.verify, now: Self.t0 + 1)
        #expect(!verified)
        (p, verified) = VerificationWindow.next(p, verdicts: [Self.pass, Self.fail], settings: Self.verify, now: Self.t0 + 2)
        #expect(!verified && p.passingSince == nil && p.failing == "prometheus error-rate: error-rate = 0.2, expected < 0.01")
        (p, verified) = VerificationWindow.next(p, verdicts: [Self.pass], settings: Self.verify, now: Self.t0 + 3)
        #expect(!verified && p.passingSince == Self.t0 + 3 && p.failing == nil, "a failure restarts the window")
        (p, verified) = VerificationWindow.next(p, verdicts: [Self.pass], settings: Self.verify, now: Self.t0 + 5)
        #expect(verified)
    }

    @Test func aGapLongerThanTwoPeriodsRestartsTheWindow() {
        let (p, _) = VerificationWindow.next(nil, verdicts: [Self.pass], settings: Self.verify, now: Self.t0)
        let (q, verified) = VerificationWindow.next(p, verdicts: [Self.pass], settings: Self.verify, now: Self.t0 + 10)
        #expect(!verified && q.passingSince == Self.t0 + 10)
    }

    @Test func noCheckIsNotAPass() {
        let (p, verified) = VerificationWindow.next(nil, verdicts: [], settings: Self.verify, now: Self.t0)
        #expect(!verified && p.failing != nil)
    }

    @Test func samplesAreTakenEveryPeriod() {
        #expect(VerificationWindow.isDue(nil, settings: Self.verify, now: Self.t0))
        let p = VerificationProgress(passingSince: Self.t0, lastSample: Self.t0)
        #expect(!VerificationWindow.isDue(p, settings: Self.verify, now: Self.t0 + 0.5))
        #expect(VerificationWindow.isDue(p, settings: Self.verify, now: Self.t0 + 1))
    }

    static let query = VerifySettings.PrometheusQuery(name: "error-rate", query: "q", comparison: .less, threshold: 0.01, expect: "< 0.01")

    @Test func prometheusEmptyResultAndNaNFail() {
        #expect(!VerificationWindow.judge(query: Self.query, samples: []).passed)
        #expect(VerificationWindow.judge(query: Self.query, samples: []).detail.contains("no result"))
        #expect(!VerificationWindow.judge(query: Self.query, samples: [.init(labels: [:], value: .nan)]).passed)
        let bad = VerificationWindow.judge(query: Self.query, samples: [.init(labels: ["pod": "a"], value: 0.001), .init(labels: ["pod": "b"], value: 0.5)])
        #expect(!bad.passed && bad.detail == "error-rate pod=b = 0.5, expected < 0.01")
        #expect(VerificationWindow.judge(query: Self.query, samples: [.init(labels: [:], value: 0.001)]).passed)
    }

    @Test func argoCDPassesOnlySyncedAtTheCommitAndHealthy() {
        let synced = ArgoCDApplicationState(syncStatus: "Synced", revision: "abc", healthStatus: "Healthy")
        #expect(VerificationWindow.judge(argoCD: synced, application: "a", revisionReachesCommit: true).passed)
        #expect(!VerificationWindow.judge(argoCD: synced, application: "a", revisionReachesCommit: false).passed, "an older revision blocks")
        var progressing = synced
        progressing.healthStatus = "Progressing"
        #expect(VerificationWindow.judge(argoCD: progressing, application: "a", revisionReachesCommit: true).detail.contains("Progressing"))
        var outOfSync = synced
        outOfSync.syncStatus = "OutOfSync"
        #expect(!VerificationWindow.judge(argoCD: outOfSync, application: "a", revisionReachesCommit: true).passed)
    }

    @Test func aCheckThatCannotRunSaysWhy() {
        let refused = CheckUnavailable(kind: .unauthorized, request: "Argo CD GET /api/v1/applications/a", message: "401")
        let verdict = VerificationWindow.judge(unavailable: refused, check: "argocd a")
        #expect(!verdict.passed && verdict.detail.contains("token was refused"))
    }
}

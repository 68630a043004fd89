import ForgeSim
import Forges
import Foundation
import Promotion
import Testing

/// Commit statuses through each client against the stand-in: Promote's own status set, replaced and read back with
/// another CI's statuses (and a GitHub check run), every page, states mapped per forge, descriptions cut.
@Suite struct CommitStatusClientTests {
    static let flavours: [ForgeSimFlavour] = [.github, .gitlab, .gitea, .bitbucket]

    @Test(arguments: flavours)
    func setReplaceAndReadBack(flavour: ForgeSimFlavour) async throws {
        try await ForgeHarness.run(flavour, log: "statuses-\(flavour.rawValue)") { h in
            let forge = h.client()
            let sha = try h.git("rev-parse", ForgeHarness.botBranch)
            let otherPending = switch flavour {
            case .github, .gitea: "pending"
            case .gitlab: "running"
            case .bitbucket: "INPROGRESS"
            }
            try await h.server.setOtherStatus(project: ForgeHarness.project, ref: sha, context: "ci/build", state: otherPending, description: "building")
            if flavour == .github {
                try await h.server.setOtherStatus(project: ForgeHarness.project, ref: sha, context: "lint", state: "in_progress", checkRun: true)
            }

            try await forge.setCommitStatus(CommitStatus(context: "promote", state: .pending, description: "verifying in staging",
                                                         targetURL: "http://promote.example/status"), on: sha)
            // Setting the same pending state again is not an error (GitLab refuses that transition; the client accepts it).
            try await forge.setCommitStatus(CommitStatus(context: "promote", state: .pending, description: "verifying in staging"), on: sha)
            var checks = try await forge.commitChecks(on: sha)
            #expect(checks.first { $0.context == "promote" }?.state == .pending)
            #expect(checks.first { $0.context == "ci/build" }?.state == .pending)
            #expect(checks.first { $0.context == "ci/build" }?.description == "building")
            #expect(checks.contains { $0.context == "lint" && $0.state == .pending } == (flavour == .github))

            let long = String(repeating: "gate accuracy ≥ 0.9 held; ", count: 20)
            try await forge.setCommitStatus(CommitStatus(context: "promote", state: .success, description: long,
                                                         targetURL: "http://promote.example/status"), on: sha)
            let otherFailed = switch flavour {
            case .github, .gitea: "failure"
            case .gitlab: "failed"
            case .bitbucket: "FAILED"
            }
            try await h.server.setOtherStatus(project: ForgeHarness.project, ref: sha, context: "ci/build", state: otherFailed)
            if flavour == .github {
                try await h.server.setOtherStatus(project: ForgeHarness.project, ref: sha, context: "lint", state: "completed", conclusion: "success", checkRun: true)
            }
            checks = try await forge.commitChecks(on: sha)
            #expect(checks.filter { $0.context == "promote" }.count == 1)  // the latest per context only
            let promote = try #require(checks.first { $0.context == "promote" })
            #expect(promote.state == .success)
            #expect(promote.targetURL == "http://promote.example/status")
            let limit = flavour == .github ? 140 : 255
            #expect(promote.description.count == limit && promote.description.hasSuffix("…"))
            #expect(checks.first { $0.context == "ci/build" }?.state == .failure)
            #expect(checks.contains { $0.context == "lint" && $0.state == .success } == (flavour == .github))

            // What the forge stored, in its own words.
            let stored = try await h.server.statuses(project: ForgeHarness.project, ref: sha).filter { $0.context == "promote" }
            let wire = stored.map(\.state)
            switch flavour {
            case .github, .gitea: #expect(wire == ["pending", "pending", "success"])
            case .gitlab: #expect(wire == ["running", "success"])  // the second "running" was refused by the forge
            case .bitbucket: #expect(wire == ["INPROGRESS", "INPROGRESS", "SUCCESSFUL"])
            }

            try await forge.setCommitStatus(CommitStatus(context: "promote", state: .error, description: "Prometheus unreachable"), on: sha)
            #expect(try await forge.commitChecks(on: sha).first { $0.context == "promote" }?.state == .error)
        }
    }

    @Test(arguments: flavours)
    func readsEveryPage(flavour: ForgeSimFlavour) async throws {
        try await ForgeHarness.run(flavour, log: "statuses-pages-\(flavour.rawValue)") { h in
            let sha = try h.git("rev-parse", "main")
            let success = switch flavour {
            case .github, .gitea, .gitlab: "success"
            case .bitbucket: "SUCCESSFUL"
            }
            for i in 0..<23 {
                try await h.server.setOtherStatus(project: ForgeHarness.project, ref: sha, context: "ci/\(i)", state: success)
                if flavour == .github {
                    try await h.server.setOtherStatus(project: ForgeHarness.project, ref: sha, context: "run-\(i)", state: "queued", checkRun: true)
                }
            }
            let checks = try await h.client(pageSize: 5).commitChecks(on: "main")
            #expect(checks.filter { $0.context.hasPrefix("ci/") && $0.state == .success }.count == 23)
            #expect(checks.filter { $0.context.hasPrefix("run-") && $0.state == .pending }.count == (flavour == .github ? 23 : 0))
        }
    }

    @Test(arguments: flavours)
    func anUnknownCommitIsTheForgesError(flavour: ForgeSimFlavour) async throws {
        try await ForgeHarness.run(flavour, log: "statuses-unknown-\(flavour.rawValue)") { h in
            let forge = h.client()
            let missing = String(repeating: "0", count: 40)
            do {
                try await forge.setCommitStatus(CommitStatus(context: "promote", state: .pending, description: "x"), on: missing)
                Issue.record("an unknown commit was accepted")
            } catch let failure as ForgeFailure {
                #expect(failure.kind == (flavour == .github ? .invalid : .notFound))
                #expect(failure.request.contains(missing))
            }
            await #expect(throws: ForgeFailure.self) { try await forge.commitChecks(on: missing) }
        }
    }
}

import Foundation
import JSON
import Promotion
import Service

/// Renders promotion reports for people (aligned text) and for programs (JSON).
enum ReportPrinter {
    static func text(_ report: PromotionReport, dryRun: Bool) -> String {
        let r = report.record
        var lines: [String] = []
        if dryRun {
            lines.append("Dry run: \(r.request.model) \(r.request.version) (\(r.request.uri)); nothing was changed.")
            for preview in report.previews {
                lines.append("")
                lines.append("== \(preview.environment)")
                guard let plan = preview.plan else {
                    lines.append("already runs \(r.request.version): nothing to do")
                    continue
                }
                if let onboarded = plan.onboardedFrom { lines.append("new spec from templates/\(onboarded)") }
                lines.append(plan.diff.isEmpty ? "(no change)" : plan.diff.trimmingCharacters(in: .newlines))
                if let title = preview.pullRequestTitle {
                    lines.append("")
                    lines.append("pull request: \(title)")
                    lines.append(preview.pullRequestBody ?? "")
                }
            }
            return lines.joined(separator: "\n")
        }
        lines.append("\(r.request.model) \(r.request.version) -> promotion \(r.id)\(report.created ? "" : " (already known: same idempotency key)")")
        let width = max(12, (report.steps.map(\.environment.count).max() ?? 0) + 2)
        for step in report.steps {
            var line = step.environment.padding(toLength: width, withPad: " ", startingAt: 0) + describe(step)
            if let detail = step.detail, step.action == .failed || step.action == .blocked || step.action == .unchanged || step.action == .waiting { line += ": \(detail)" }
            lines.append("  " + line)
        }
        lines.append("state: \(r.state.rawValue)" + (r.detail.map { " (\($0))" } ?? ""))
        return lines.joined(separator: "\n")
    }

    static func describe(_ step: PromotionStep) -> String {
        let commit = step.commit.map { String($0.prefix(10)) } ?? ""
        let pr = step.pullRequestNumber.map { "#\($0) \(step.pullRequestURL ?? "")" } ?? ""
        switch step.action {
        case .pushed: return "pushed \(commit)"
        case .unchanged: return "unchanged"
        case .pullRequestOpened: return "opened pull request \(pr)"
        case .pullRequestUpdated: return "updated pull request \(pr)"
        case .pullRequestUnchanged: return "pull request up to date \(pr)"
        case .blocked: return "blocked"
        case .failed: return "failed"
        case .planned: return "planned"
        case .waiting: return "waiting"
        }
    }

    /// The outcome as JSON: ``ReleaseDocument``, or on a dry run ``DryRunDocument`` (nothing was recorded).
    static func json(_ report: PromotionReport, dryRun: Bool, config: PromoteConfig) -> String {
        dryRun ? DocumentEncoder.line(DryRunDocument(report, config: config)) : DocumentEncoder.line(ReleaseDocument(report))
    }

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    /// One line of JSON, keys sorted.
    static func encode(_ value: JSONValue) -> String {
        String(decoding: JSONWriter.write(value), as: UTF8.self)
    }
}

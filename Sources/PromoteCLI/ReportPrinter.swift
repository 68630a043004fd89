import Foundation
import JSON
import Promotion

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
            if let detail = step.detail, step.action == .failed || step.action == .blocked || step.action == .unchanged { line += ": \(detail)" }
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
        }
    }

    static func json(_ report: PromotionReport) -> String {
        let r = report.record
        var object: [String: JSONValue] = [
            "id": .string(r.id), "model": .string(r.request.model), "version": .string(r.request.version),
            "uri": .string(r.request.uri), "state": .string(r.state.rawValue), "created": .bool(report.created),
            "steps": .array(report.steps.map(stepJSON)),
        ]
        if let detail = r.detail { object["detail"] = .string(detail) }
        if r.id == "dry-run" {
            object["plans"] = .array(report.previews.map { p -> JSONValue in
                var o: [String: JSONValue] = ["environment": .string(p.environment)]
                if let plan = p.plan {
                    o["path"] = .string(plan.path)
                    o["diff"] = .string(plan.diff)
                }
                if let title = p.pullRequestTitle { o["pullRequestTitle"] = .string(title) }
                if let body = p.pullRequestBody { o["pullRequestBody"] = .string(body) }
                return .object(o)
            })
        }
        return encode(.object(object))
    }

    static func stepJSON(_ step: PromotionStep) -> JSONValue {
        var o: [String: JSONValue] = ["environment": .string(step.environment), "action": .string(step.action.rawValue), "at": .string(iso(step.at))]
        if let commit = step.commit { o["commit"] = .string(commit) }
        if let n = step.pullRequestNumber { o["pullRequest"] = ["number": .number(Double(n)), "url": .string(step.pullRequestURL ?? "")] }
        if let detail = step.detail { o["detail"] = .string(detail) }
        return .object(o)
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

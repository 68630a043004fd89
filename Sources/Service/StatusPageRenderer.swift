internal import Foundation
internal import Mustache
internal import Promotion

/// Renders the status page's HTML from the ``StatusReport`` and the store's records (DESIGN.md section 5,
/// "Status page"). Values enter the templates only through escaping `{{name}}` tags; links are made only from
/// `http(s)` URLs. A key with nothing to show is `false`, so a section never picks up a value from an outer context.
struct StatusPageRenderer: Sendable {
    let library: MustacheLibrary

    init() {
        var templates: [String: MustacheTemplate] = [:]
        for (name, text) in [
            ("head", StatusPageTemplates.head), ("login", StatusPageTemplates.login), ("error", StatusPageTemplates.error),
            ("grid", StatusPageTemplates.grid), ("model", StatusPageTemplates.model),
        ] {
            // The templates are constants of this file's module: a parse failure is a programming error caught by the tests.
            templates[name] = try! MustacheTemplate(string: text)
        }
        library = MustacheLibrary(templates: templates)
    }

    func render(_ name: String, _ context: [String: Any]) -> String { library.render(context, withTemplate: name) ?? "" }

    func login(message: String?) -> String {
        render("login", ["title": "Log in", "message": Self.opt(message), "user": false])
    }

    func error(_ problem: Problem) -> String {
        render("error", [
            "title": "Refused", "problemTitle": problem.title, "detail": Self.opt(problem.detail), "user": false,
            "errors": problem.errors.map { ["field": $0.field, "message": $0.message] },
        ])
    }

    func user(_ viewer: OperatorRoutes.Viewer) -> [String: Any] {
        ["name": viewer.principal.name, "canPromote": viewer.principal.allows(.promote) && viewer.csrf != nil, "csrf": Self.opt(viewer.csrf)]
    }

    // MARK: - The grid

    func grid(_ report: StatusReport, viewer: OperatorRoutes.Viewer, now: Date, notice: String?) -> String {
        let csrf = viewer.principal.allows(.promote) ? viewer.csrf : nil
        let counts = report.promotions.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        let from = Dictionary(report.environments.map { ($0.name, $0.from) }, uniquingKeysWith: { a, _ in a })
        let rows: [[String: Any]] = report.models.map { model in
            let cells = model.environments.map { cell in
                let source = from[cell.name].flatMap { name in model.environments.first { $0.name == name } }
                return self.cell(cell, model: model.model, from: source, csrf: csrf, now: now)
            }
            return [
                "model": model.model, "anchor": FormBody.encode(model.model), "href": "/models/\(FormBody.encode(model.model))",
                "declared": model.declared, "pending": model.pending.map { ["state": $0.state, "version": $0.version] }, "cells": cells,
                "advance": csrf.map { ["model": model.model, "csrf": $0] as Any } ?? false,
            ]
        }
        return render("grid", [
            "title": "Promotion status", "user": user(viewer), "csrf": Self.opt(viewer.csrf), "notice": Self.opt(notice),
            "environments": report.environments.map { ["name": $0.name, "mode": $0.mode, "branch": $0.branch] },
            "rows": rows,
            "summary": "\(report.models.count) models" + (counts.isEmpty ? "" : "; promotions: " + counts.joined(separator: ", ")),
            "reconciled": report.reconciledAt.map { "drift as of the last reconcile, \(Self.age(of: $0, now: now)) ago" } ?? "drift not checked yet",
        ])
    }

    /// One cell; `csrf` is the session's token when the viewer may promote (the cell then has its forms), else nil.
    func cell(_ cell: StatusReport.Cell, model: String, from: StatusReport.Cell?, csrf: String?, now: Date) -> [String: Any] {
        let spec = cell.spec
        var out: [String: Any] = [
            "env": cell.name, "specVersion": Self.opt(spec.state == "present" ? spec.version : nil), "specValue": spec.value ?? "",
            "specText": spec.state == "missing" ? "no spec" : spec.state == "unreadable" ? "spec unreadable" : "spec holds no model location",
            "specError": Self.opt(spec.error), "ledgerVersion": Self.opt(cell.version.flatMap { $0 == spec.version ? nil : $0 }),
            "proposed": false, "drift": cell.drift.map { ["kind": $0.kind, "action": $0.action, "detail": $0.detail ?? ""] },
            "promote": false, "rollback": false, "stage": cell.stage.map(Self.stage) ?? false,
        ]
        if let proposed = cell.proposed {
            var pr: Any = false
            if let ref = proposed.pullRequest {
                pr = ["number": ref.number, "href": Self.opt(Self.link(ref.url)), "title": Self.opt(ref.title), "age": Self.age(of: proposed.proposedAt, now: now)] as [String: Any]
            }
            out["proposed"] = [
                "version": proposed.version, "state": Self.opt(proposed.state), "pr": pr,
                "gates": proposed.gates.map { gate in
                    ["metric": gate.metric, "expression": gate.expression, "outcome": gate.outcome, "detail": gate.detail,
                     "css": gate.outcome == "passed" ? "good" : gate.outcome == "failed" ? "bad" : "warn"]
                },
            ] as [String: Any]
        }
        if let csrf {
            var promote: Any = false
            // Offer what the environment's `from` holds, when this one does not hold it yet (an entry point offers
            // nothing: versions come to it from CI).
            if let from, let candidate = Self.candidate(from), candidate.version != (cell.version ?? spec.version),
                candidate.version != cell.proposed?.version
            {
                promote = ["model": model, "environment": cell.name, "version": candidate.version, "uri": candidate.uri, "csrf": csrf]
            }
            // Each form carries the CSRF token itself: a lookup that climbs to the page's context costs on every cell.
            out["promote"] = promote
            out["rollback"] = cell.version != nil ? ["model": model, "environment": cell.name, "csrf": csrf] as Any : false
        }
        return out
    }

    /// A cell's stages line: the newest proposal's state, the failing check, what the window and the soak still need.
    static func stage(_ stage: StatusReport.Stage) -> [String: Any] {
        [
            "version": opt(stage.version), "state": opt(stage.state), "failing": opt(stage.failingCheck),
            "verifyRemaining": opt(stage.verifyRemaining.map { "\(Int($0.rounded(.up)))s" }),
            "waiting": opt(stage.waiting), "soak": opt(stage.soakRemaining.map { "\(Int($0.rounded(.up)))s" }),
            "css": stage.state == "verified" ? "good" : stage.failingCheck != nil ? "bad" : "warn",
        ]
    }

    /// The version (and its URI) the environment runs: the ledger's live entry, else the spec when it names a URI.
    static func candidate(_ cell: StatusReport.Cell) -> (version: String, uri: String)? {
        if let version = cell.version, let uri = cell.uri { return (version, uri) }
        if let value = cell.spec.value, let version = cell.spec.version, value.contains("://") { return (version, value) }
        return nil
    }

    // MARK: - One model

    func model(
        _ name: String, promotions: [PromotionRecord], history: [LedgerEntry], audit: AuditReport, viewer: OperatorRoutes.Viewer, now: Date
    ) -> String {
        render("model", [
            "title": name, "user": user(viewer), "csrf": Self.opt(viewer.csrf),
            "charts": TrendChart.charts(promotions.sorted { $0.createdAt < $1.createdAt }),
            "history": history.sorted { $0.recordedAt > $1.recordedAt }.map { entry in
                let link = entry.pullRequestURL ?? entry.commit ?? ""
                return ["at": Self.stamp(entry.recordedAt), "environment": entry.environment, "version": entry.version,
                        "status": entry.status.rawValue, "link": link, "href": Self.opt(Self.link(link))] as [String: Any]
            },
            "promotions": promotions.map { record in
                let run = record.request.source.runURL
                return ["at": Self.stamp(record.createdAt), "version": record.request.version, "state": record.state.rawValue,
                        "detail": Self.opt(record.detail), "origin": record.origin, "runHref": Self.opt(run.flatMap(Self.link)),
                        "runText": Self.opt(run)] as [String: Any]
            },
            "audit": audit.entries.map { e in
                ["at": Self.stamp(e.at), "actor": e.actor, "action": e.action, "environment": e.environment ?? "", "detail": e.detail]
            },
        ])
    }

    // MARK: - Values

    static func opt(_ value: String?) -> Any { value ?? false }

    /// `url` when it is an http(s) URL (nothing else becomes a link: no `javascript:`, no `data:`).
    static func link(_ url: String) -> String? {
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), !url.contains(where: { $0.isWhitespace || $0 == "\"" }) else { return nil }
        return url
    }

    static func age(of date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<60: return "<1m"
        case ..<3600: return "\(seconds / 60)m"
        case ..<86400: return "\(seconds / 3600)h \(seconds % 3600 / 60)m"
        default: return "\(seconds / 86400)d \(seconds % 86400 / 3600)h"
        }
    }

    static func stamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

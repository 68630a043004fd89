import Foundation
import Promotion
@testable import Service
import Testing

/// The page's HTML from hostile values: everything from outside reaches the page as text, and only http(s) URLs
/// become links. (Chromium and the HTML validator look at the real page in Tests/python/test_status_page.py.)
@Suite struct StatusPageRendererTests {
    static let hostile = #"<script>alert('x')</script>"&amp;"#

    /// A report whose every outside value is hostile (decoded from JSON: the shape the API serves).
    func report() throws -> StatusReport {
        let h = try #require(String(data: try JSONEncoder().encode(Self.hostile), encoding: .utf8))
        let spec = #"{"path": "environments/x.yaml", "state": "present", "value": \#(h), "version": \#(h)}"#
        let json = #"""
            {"environments": [{"name": "staging", "mode": "push", "branch": \#(h)}, {"name": "production", "mode": "pull-request", "branch": "main", "from": "staging"}],
             "models": [{"model": "jukebox", "declared": true, "pending": [{"id": "p-2", "version": \#(h), "state": "queued"}],
               "environments": [
                 {"name": "staging", "spec": \#(spec), "version": "2.0.0", "uri": "gs://x/2.0.0", "drift": [],
                  "stage": {"version": \#(h), "state": "live", "failingCheck": \#(h), "waiting": \#(h), "soakRemaining": 90}},
                 {"name": "production", "spec": \#(spec), "version": "1.0.0", "uri": "gs://x/1.0.0",
                  "drift": [{"kind": "manual-edit", "expected": "1", "actual": \#(h), "action": "reported", "detail": \#(h), "seenAt": "2027-01-15T08:00:00Z"}],
                  "proposed": {"version": \#(h), "uri": "gs://x", "metrics": {}, "promotionId": "p-1", "state": "awaiting-review",
                    "proposedAt": "2027-01-15T08:00:00Z", "pullRequest": {"number": 3, "url": "javascript:alert(1)", "title": \#(h)},
                    "gates": [{"metric": \#(h), "expression": ">= 1", "outcome": "failed", "detail": \#(h)}]}}]}],
             "promotions": {}, "reconciledAt": null}
            """#
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(StatusReport.self, from: Data(json.utf8))
    }

    @Test func everyOutsideValueIsEscaped() throws {
        let viewer = OperatorRoutes.Viewer(
            principal: Principal(name: Self.hostile, scopes: [.read, .promote], proof: .session), sessionID: "s", csrf: "c" + Self.hostile)
        let html = StatusPageRenderer().grid(try report(), viewer: viewer, now: Date(), notice: Self.hostile)
        #expect(!html.contains("<script"))
        #expect(!html.contains("javascript:"), "a non-http URL is never a link")
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;amp;"))
        #expect(html.contains(#"<button type="submit" class="promote">"#), "a promote session gets the buttons")
        #expect(html.contains(#"<input type="hidden" name="action" value="advance">"#) && html.contains(">Advance</button>"),
                "a promote session gets the Advance button")
        #expect(html.contains("failing check: &lt;script&gt;") && html.contains("soak 90s remaining"), "the stages are shown, escaped")
    }

    @Test func theButtonOffersWhatTheEnvironmentsFromHolds() throws {
        // A tree: canary and production both come from staging; staging is an entry point.
        func cell(_ name: String, _ version: String) -> String {
            #"{"name": "\#(name)", "spec": {"path": "e/\#(name).yaml", "state": "present", "value": "gs://x/\#(version)", "version": "\#(version)"}, "version": "\#(version)", "uri": "gs://x/\#(version)", "drift": []}"#
        }
        let json = #"""
            {"environments": [{"name": "staging", "mode": "push", "branch": "main"},
                              {"name": "canary", "mode": "push", "branch": "main", "from": "staging"},
                              {"name": "production", "mode": "pull-request", "branch": "main", "from": "staging"}],
             "models": [{"model": "jukebox", "declared": true, "pending": [],
                         "environments": [\#(cell("staging", "3.0.0")), \#(cell("canary", "2.0.0")), \#(cell("production", "1.0.0"))]}],
             "promotions": {}, "reconciledAt": null}
            """#
        let report = try JSONDecoder().decode(StatusReport.self, from: Data(json.utf8))
        let viewer = OperatorRoutes.Viewer(principal: Principal(name: "ops", scopes: [.read, .promote], proof: .session), sessionID: "s", csrf: "c")
        let html = StatusPageRenderer().grid(report, viewer: viewer, now: Date(), notice: nil)
        #expect(html.contains("Promote 3.0.0 to canary") && html.contains("Promote 3.0.0 to production"))
        #expect(!html.contains("Promote 2.0.0"), "production comes from staging, not from the canary listed before it")
        #expect(!html.contains("to staging</button>"), "an entry point takes its versions from CI")
    }

    @Test func theModelPageDrawsTrendsAndEscapesRunLinks() throws {
        let request = try ReleaseRequest.validated(
            model: "jukebox", version: "1.0.0", uri: "gs://models/jukebox/1.0.0", metrics: ["acc/top-1:x": 0.9],
            source: .init(runURL: #"https://ci.example/"><script>alert(2)</script>"#))
        let newer = try ReleaseRequest.validated(model: "jukebox", version: "1.1.0", uri: "gs://models/jukebox/1.1.0", metrics: ["acc/top-1:x": 0.95])
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let promotions = [
            PromotionRecord(id: "p-1", request: request, origin: Self.hostile, state: .done, createdAt: t0, updatedAt: t0),
            PromotionRecord(id: "p-2", request: newer, origin: "ml-oncall", state: .done, createdAt: t0 + 60, updatedAt: t0 + 60),
        ]
        let viewer = OperatorRoutes.Viewer(principal: Principal(name: "r", scopes: [.read], proof: .token), sessionID: nil, csrf: nil)
        let html = StatusPageRenderer().model(
            "jukebox", promotions: promotions, history: [], audit: AuditReport(entries: []), viewer: viewer, now: t0)
        #expect(!html.contains("<script"))
        #expect(html.contains(##"<polyline fill="none" stroke="#0969da" stroke-width="2" points="40.0,120.0 470.0,10.0"/>"##))
        #expect(html.contains("acc/top-1:x"))
        #expect(html.contains(#"<a href="https://ci.example/&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;">run</a>"#) == false, "a URL with a quote is no link")
    }
}

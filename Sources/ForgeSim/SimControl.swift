internal import JSON
internal import Foundation

/// The stand-in's control API under `/_sim/` (for tests in other languages and for demos):
/// - `POST /_sim/faults` with a ``ForgeSimFault`` as JSON; `DELETE /_sim/faults`
/// - `POST /_sim/seed` `{"project": "acme/gitops", "count": 150, "base": "main", "prefix": "other/"}`
/// - `GET /_sim/pulls?project=acme/gitops`
/// - `POST /_sim/pulls/N/merge?project=...` and `/_sim/pulls/N/close?project=...`, as a person would (`&by=LOGIN`)
/// - `POST /_sim/labels` `{"project": "...", "names": ["promotion"]}`
/// - `POST /_sim/statuses` `{"project": "...", "ref": "SHA or branch", "context": "ci/build", "state": "pending"}` sets
///   another CI's status (`"checkRun": true` and `"conclusion"` for a GitHub check run); `GET /_sim/statuses?project=&ref=`
struct SimControl: Sendable {
    let forge: SimForge

    func handle(method: String, path: String, query: [String: String], body: Data) async -> SimResponse {
        let segs = path.split(separator: "/").map(String.init).dropFirst()  // drop "_sim"
        let json = SimJSON.parse(body) ?? [:]
        do {
            switch (method, Array(segs)) {
            case ("POST", ["faults"]):
                let fault = try JSONDecoder().decode(ForgeSimFault.self, from: body)
                await forge.addFault(fault)
                return .json(201, ["ok": true])
            case ("DELETE", ["faults"]):
                await forge.clearFaults()
                return .empty(204)
            case ("POST", ["seed"]):
                let numbers = try await forge.seedOpenPullRequests(
                    project: json["project"]?.string ?? "", count: json["count"]?.int ?? 1,
                    base: json["base"]?.string ?? "main", prefix: json["prefix"]?.string ?? "other/change-")
                return .json(201, ["numbers": .array(numbers.map { .int($0) })])
            case ("GET", ["pulls"]):
                let prs = try await forge.pullRequests(project: query["project"] ?? "")
                let data = try JSONEncoder().encode(prs)
                return SimResponse(status: 200, headers: [("Content-Type", "application/json")], body: data)
            case ("POST", let s) where s.count == 3 && s[0] == "pulls" && (s[2] == "merge" || s[2] == "close"):
                guard let n = Int(s[1]) else { return .json(400, ["message": "bad number"]) }
                let by = query["by"] ?? "promote-bot"
                let pr = s[2] == "merge"
                    ? try await forge.humanMerge(project: query["project"] ?? "", number: n, squash: query["squash"] == "true", by: by)
                    : try await forge.humanClose(project: query["project"] ?? "", number: n, by: by)
                return SimResponse(status: 200, headers: [("Content-Type", "application/json")], body: try JSONEncoder().encode(pr))
            case ("POST", ["labels"]):
                try await forge.defineLabels(project: json["project"]?.string ?? "", names: (json["names"]?.array ?? []).compactMap(\.string))
                return .json(201, ["ok": true])
            case ("POST", ["statuses"]):
                guard let ref = json["ref"]?.string, let context = json["context"]?.string, let state = json["state"]?.string else {
                    return .json(400, ["message": "ref, context and state are required"])
                }
                let s = try await forge.setOtherStatus(
                    project: json["project"]?.string ?? "", ref: ref, context: context, state: state, conclusion: json["conclusion"]?.string,
                    description: json["description"]?.string ?? "", targetURL: json["target_url"]?.string, checkRun: json["checkRun"]?.bool ?? false)
                return SimResponse(status: 201, headers: [("Content-Type", "application/json")], body: try JSONEncoder().encode(s))
            case ("GET", ["statuses"]):
                let all = try await forge.statuses(project: query["project"] ?? "", ref: query["ref"] ?? "")
                return SimResponse(status: 200, headers: [("Content-Type", "application/json")], body: try JSONEncoder().encode(all))
            default:
                return .json(404, ["message": .string("unknown control endpoint \(method) \(path)")])
            }
        } catch let e as SimHTTPError {
            return .json(e.status, e.body)
        } catch {
            return .json(400, ["message": .string("\(error)")])
        }
    }
}

public import Foundation
public import JSON
public import Promotion

/// A CDEvent that Promote emits (CDEvents 0.5.1 in a CloudEvent 1.0): `service.deployed` and
/// `environment.modified` when a version lands in an environment (or, with `verify`, is verified there),
/// `testcaserun.finished` for a `verify` check's result, `incident.detected` for each drift found.
/// Pure: the service posts ``cloudEvent`` (structured mode) to the configured sinks.
public struct OutgoingCDEvent: Sendable, Hashable {
    /// The CloudEvent `type` (also the CDEvent `context.type`).
    public var type: String
    public var id: String
    /// `/promote/<config name>`.
    public var source: String
    public var time: Date
    public var subjectID: String
    public var subjectContent: [String: JSONValue]
    public var customData: [String: JSONValue]

    public init(
        type: String, id: String = UUID().uuidString.lowercased(), source: String, time: Date, subjectID: String,
        subjectContent: [String: JSONValue], customData: [String: JSONValue]
    ) {
        self.type = type
        self.id = id
        self.source = source
        self.time = time
        self.subjectID = subjectID
        self.subjectContent = subjectContent
        self.customData = customData
    }

    /// The events for `entry` becoming live in `environment` (a merge or a push): `service.deployed` and
    /// `environment.modified`.
    public static func landed(_ entry: LedgerEntry, repositoryURL: String, source: String, time: Date) -> [OutgoingCDEvent] {
        var data: [String: JSONValue] = [
            "model": .string(entry.model), "version": .string(entry.version), "uri": .string(entry.uri),
            "environment": .string(entry.environment),
        ]
        if let id = entry.promotionID { data["promotionId"] = .string(id) }
        if let commit = entry.commit { data["gitopsCommit"] = .string(commit) }
        if let url = entry.pullRequestURL { data["pullRequest"] = .string(url) }
        let repository = redactUserInfo(repositoryURL)
        return [
            OutgoingCDEvent(
                type: "dev.cdevents.service.deployed.0.3.0", source: source, time: time, subjectID: "\(entry.environment)/\(entry.model)",
                subjectContent: [
                    "environment": .object(["id": .string(entry.environment), "source": .string(repository)]),
                    "artifactId": .string(PackageURL.generic(name: entry.model, version: entry.version, downloadURL: entry.uri)),
                ],
                customData: data),
            OutgoingCDEvent(
                type: "dev.cdevents.environment.modified.0.3.0", source: source, time: time, subjectID: entry.environment,
                subjectContent: ["name": .string(entry.environment), "uri": .string(repository)], customData: data),
        ]
    }

    /// The event for one `verify` check's verdict on `version` of `model` in `environment`: `success`, `failure`,
    /// or `error` when the check could not run (its source unreachable, its token refused).
    public static func checkResult(
        _ verdict: CheckVerdict, model: String, version: String, environment: String, repositoryURL: String, source: String, time: Date
    ) -> OutgoingCDEvent {
        let outcome = verdict.passed ? "success" : verdict.couldNotRun ? "error" : "failure"
        var content: [String: JSONValue] = [
            "outcome": .string(outcome),
            "environment": .object(["id": .string(environment), "source": .string(redactUserInfo(repositoryURL))]),
            "testCase": .object(["id": .string(verdict.check), "name": .string(verdict.check), "type": "functional"]),
        ]
        if !verdict.passed { content["reason"] = .string(verdict.detail) }
        return OutgoingCDEvent(
            type: "dev.cdevents.testcaserun.finished.0.3.0", source: source, time: time,
            subjectID: "\(environment)/\(model)/\(version)/\(verdict.check)", subjectContent: content,
            customData: [
                "model": .string(model), "version": .string(version), "environment": .string(environment), "check": .string(verdict.check),
                "passed": .bool(verdict.passed), "detail": .string(verdict.detail),
            ])
    }

    /// The event for one drift finding.
    public static func drift(_ finding: DriftFinding, repositoryURL: String, source: String, time: Date) -> OutgoingCDEvent {
        OutgoingCDEvent(
            type: "dev.cdevents.incident.detected.0.2.0", source: source, time: time, subjectID: "\(finding.environment)/\(finding.model)",
            subjectContent: [
                "description": .string("\(finding.kind.rawValue): expected \(finding.expected), found \(finding.actual)"),
                "environment": .object(["id": .string(finding.environment), "source": .string(redactUserInfo(repositoryURL))]),
            ],
            customData: [
                "model": .string(finding.model), "environment": .string(finding.environment), "kind": .string(finding.kind.rawValue),
                "expected": .string(finding.expected), "actual": .string(finding.actual), "action": .string(finding.action.rawValue),
            ])
    }

    /// The CloudEvent in structured mode (`application/cloudevents+json`): its data is the whole CDEvent.
    public var cloudEvent: JSONValue {
        let timestamp = Self.timestamp(time)
        let cdevent: JSONValue = .object([
            "context": .object([
                "specversion": "0.5.1", "id": .string(id), "source": .string(source), "type": .string(type),
                "timestamp": .string(timestamp),
            ]),
            "subject": .object(["id": .string(subjectID), "source": .string(source), "content": .object(subjectContent)]),
            "customDataContentType": "application/json",
            "customData": .object(customData),
        ])
        return .object([
            "specversion": "1.0", "id": .string(id), "source": .string(source), "type": .string(type), "time": .string(timestamp),
            "subject": .string(subjectID), "datacontenttype": "application/json", "data": cdevent,
        ])
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

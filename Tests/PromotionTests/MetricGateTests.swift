import Testing
@testable import Promotion

@Suite struct MetricGateTests {
    @Test func relativeToProduction() throws {
        let gate = try MetricGate(metric: "accuracy", expression: ">= production - 0.01")
        #expect(gate.evaluate(candidate: ["accuracy": 0.92], production: ["accuracy": 0.925]).outcome == .passed)
        let failed = gate.evaluate(candidate: ["accuracy": 0.90], production: ["accuracy": 0.925])
        #expect(failed.outcome == .failed)
        #expect(failed.detail == "accuracy 0.9 not >= 0.915")
        #expect(failed.blocks)
    }

    @Test func constantThreshold() throws {
        let gate = try MetricGate(metric: "latency_p99_ms", expression: "<= 250")
        #expect(gate.evaluate(candidate: ["latency_p99_ms": 250], production: nil).outcome == .passed)
        #expect(gate.evaluate(candidate: ["latency_p99_ms": 251], production: nil).outcome == .failed)
    }

    @Test func percentageOfProduction() throws {
        let gate = try MetricGate(metric: "throughput", expression: "> production - 10%")
        #expect(gate.evaluate(candidate: ["throughput": 91], production: ["throughput": 100]).outcome == .passed)
        #expect(gate.evaluate(candidate: ["throughput": 90], production: ["throughput": 100]).outcome == .failed)
    }

    @Test func missingValues() throws {
        let gate = try MetricGate(metric: "accuracy", expression: ">= production")
        #expect(gate.evaluate(candidate: [:], production: ["accuracy": 1]).outcome == .failed)
        #expect(gate.evaluate(candidate: ["accuracy": 0.5], production: nil).outcome == .skipped)
    }

    @Test(arguments: ["", "=> 1", ">= prod", ">= production * 2", "<= abc", ">= production - x"])
    func refusesBadSyntax(_ expression: String) {
        #expect(throws: GateSyntaxError.self) { try MetricGate(metric: "m", expression: expression) }
    }
}

import Foundation

/// A small deterministic mutation fuzzer for the outside-facing parsers: seeded (the same inputs every run),
/// bounded in inputs and time, and a linearity check that compares the cost of an input of size N with one of
/// size 4N measured in the same run (a ratio, never an absolute time).
public struct Fuzzer {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// SplitMix64.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }

    /// Tokens that matter to JSON, YAML and Mustache, spliced in as well as random bytes.
    static let tokens: [[UInt8]] = [
        "{", "}", "[", "]", "\"", ":", ",", "\\", "\\u0000", "null", "true", "1e999", "-0", "\n", "  ", "- ", "&a", "*a",
        "!!str", "{{", "}}", "{{#a}}", "{{/a}}", "{{^a}}", "{{=<% %>=}}", "%2e%2e", "../", "\u{FEFF}", "\u{1F600}", "\0",
    ].map { Array($0.utf8) }

    /// `seed` with one to four random mutations.
    public mutating func mutate(_ seed: [UInt8]) -> [UInt8] {
        var bytes = seed
        for _ in 0...below(4) {
            let at = below(bytes.count + 1)
            switch below(6) {
            case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] = UInt8(truncatingIfNeeded: next())
            case 1: bytes.insert(UInt8(truncatingIfNeeded: next()), at: at)
            case 2 where !bytes.isEmpty:
                let end = min(bytes.count, at + below(16) + 1)
                bytes.removeSubrange(min(at, end)..<end)
            case 3 where at < bytes.count:
                let end = min(bytes.count, at + below(64) + 1)
                bytes.insert(contentsOf: Array(bytes[at..<end]), at: at)
            default: bytes.insert(contentsOf: Self.tokens[below(Self.tokens.count)], at: at)
            }
        }
        return bytes
    }

    /// Runs `body` on `count` mutations of the seeds (and the seeds themselves), stopping after `budget`.
    /// Returns how many inputs ran. A crash stops the test process; a hang is caught by the budget and the caller's
    /// per-input check.
    public mutating func run(seeds: [[UInt8]], count: Int, budget: Duration = .milliseconds(1500), _ body: ([UInt8]) -> Void) -> Int {
        let clock = ContinuousClock()
        let start = clock.now
        var ran = 0
        for seed in seeds {
            body(seed)
            ran += 1
        }
        while ran < count, clock.now - start < budget {
            body(mutate(seeds[below(seeds.count)]))
            ran += 1
        }
        return ran
    }

    /// A JSON array of `items` arrays nested `depth` deep: the whole text must be read, so its cost shows how a
    /// parser grows with size (and with nesting, up to its depth limit).
    public static func nestedJSON(items: Int, depth: Int = 30) -> String {
        let item = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        return "[" + Array(repeating: item, count: items).joined(separator: ",") + "]"
    }

    /// time(make(4n)) / time(make(n)): about 4 for linear cost, 16 for quadratic. The two sizes are measured in
    /// turn, five rounds, and the best thread CPU time of each is kept, so that a busy machine slows neither.
    public static func growth(n: Int, _ make: (Int) -> [UInt8], _ body: ([UInt8]) -> Void) -> Double {
        // CPU time of this thread, not wall time: other processes and test threads on a busy machine do not count.
        func seconds(_ input: [UInt8]) -> Double {
            var start = timespec(), end = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
            body(input)
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
            return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        }
        let small = make(n), large = make(4 * n)
        var best = (small: Double.infinity, large: Double.infinity)
        for _ in 0..<5 {
            best.small = min(best.small, seconds(small))
            best.large = min(best.large, seconds(large))
        }
        return best.large / max(best.small, 1e-6)
    }
}

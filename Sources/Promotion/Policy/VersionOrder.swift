/// Orders model versions the way people read them: `1.10.0` after `1.9.3`, `v3.1.0` like `3.1.0`, MLflow's `12`
/// after `9`, a pre-release (`2.0.0-rc.1`) before its release, build metadata (`+build.7`) ignored.
/// Versions that share no numeric shape fall back to plain string order.
public enum VersionOrder {
    /// True when `lhs` is an older version than `rhs`.
    public static func isOlder(_ lhs: String, than rhs: String) -> Bool { compare(lhs, rhs) < 0 }

    /// -1, 0 or 1.
    public static func compare(_ lhs: String, _ rhs: String) -> Int {
        let a = Parsed(lhs), b = Parsed(rhs)
        if let c = compareIdentifiers(a.release, b.release), c != 0 { return c }
        switch (a.prerelease.isEmpty, b.prerelease.isEmpty) {
        case (true, false): return 1
        case (false, true): return -1
        case (true, true): return 0
        case (false, false): return compareIdentifiers(a.prerelease, b.prerelease) ?? 0
        }
    }

    private struct Parsed {
        var release: [Substring]
        var prerelease: [Substring]

        init(_ text: String) {
            var core = Substring(text)
            if let plus = core.firstIndex(of: "+") { core = core[..<plus] }
            if core.first == "v" || core.first == "V", core.dropFirst().first?.isNumber == true { core = core.dropFirst() }
            var pre: Substring = ""
            if let dash = core.firstIndex(of: "-") {
                pre = core[core.index(after: dash)...]
                core = core[..<dash]
            }
            release = core.split(separator: ".", omittingEmptySubsequences: false)
            prerelease = pre.isEmpty ? [] : pre.split(separator: ".", omittingEmptySubsequences: false)
        }
    }

    private static func compareIdentifiers(_ a: [Substring], _ b: [Substring]) -> Int? {
        for i in 0..<max(a.count, b.count) {
            guard i < a.count else { return -1 }
            guard i < b.count else { return 1 }
            let x = a[i], y = b[i]
            switch (UInt64(x), UInt64(y)) {
            case let (m?, n?): if m != n { return m < n ? -1 : 1 }
            case (.some, nil): return -1
            case (nil, .some): return 1
            case (nil, nil): if x != y { return x < y ? -1 : 1 }
            }
        }
        return 0
    }
}

internal import Foundation

/// The standard process metrics (`process_resident_memory_bytes`, `process_virtual_memory_bytes`,
/// `process_cpu_seconds_total`, `process_open_fds`, `process_max_fds`, `process_start_time_seconds`), read from
/// `/proc/self` at each scrape, in the names and units the Prometheus client libraries use. Nothing is emitted
/// where `/proc` is missing (not Linux).
struct ProcessMetrics: Sendable {
    /// The exposition text of the process metrics.
    func render() -> String {
        guard let stat = Self.read("/proc/self/stat"), let close = stat.lastIndex(of: ")") else { return "" }
        // Fields after "pid (comm)": state is field 3; utime 14, stime 15, starttime 22, vsize 23, rss 24.
        let fields = stat[stat.index(after: close)...].split(separator: " ").map(String.init)
        func field(_ n: Int) -> Double? { fields.count > n - 3 ? Double(fields[n - 3]) : nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        var out = ""
        func emit(_ name: String, _ type: String, _ help: String, _ value: Double?) {
            guard let value else { return }
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(Self.format(value))\n"
        }
        emit("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.",
             zip2(field(14), field(15)).map { ($0 + $1) / ticks })
        emit("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", field(24).map { $0 * page })
        emit("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", field(23))
        if let boot = Self.bootTime(), let start = field(22) {
            emit("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", boot + start / ticks)
        }
        emit("process_open_fds", "gauge", "Number of open file descriptors.",
             (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")).map { Double($0.count) })
        emit("process_max_fds", "gauge", "Maximum number of open file descriptors.", Self.maxFiles())
        return out
    }

    private func zip2(_ a: Double?, _ b: Double?) -> (Double, Double)? {
        guard let a, let b else { return nil }
        return (a, b)
    }

    static func read(_ path: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: path))).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `btime` of `/proc/stat`: when the machine booted, in Unix seconds.
    static func bootTime() -> Double? {
        read("/proc/stat")?.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6)) }
    }

    /// The soft limit of `Max open files` in `/proc/self/limits`.
    static func maxFiles() -> Double? {
        guard let line = read("/proc/self/limits")?.split(separator: "\n").first(where: { $0.hasPrefix("Max open files") }) else { return nil }
        return line.dropFirst("Max open files".count).split(separator: " ").first.flatMap { Double($0) }
    }

    static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

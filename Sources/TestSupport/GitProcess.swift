public import Foundation

/// Runs helper processes for tests, and holds long-running ones (servers) so that they can be stopped.
public final class GitProcess: @unchecked Sendable {
    /// The exit status and output of a finished command.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    private let process: Process
    private let stdin: Pipe
    private let lock = NSLock()
    private var stopped = false

    private init(process: Process, stdin: Pipe) {
        self.process = process
        self.stdin = stdin
    }

    deinit { stop() }

    /// Runs a command to completion.
    public static func run(
        _ executable: String, _ args: [String], in directory: String? = nil, environment: [String: String]? = nil,
        input: Data? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = args
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(input) }
        try? inPipe.fileHandleForWriting.close()
        // Read both pipes concurrently so that neither fills up.
        let errBox = DataBox()
        let reader = Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); errBox.done.signal() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errBox.done.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    private final class DataBox: @unchecked Sendable {
        var data = Data()
        let done = DispatchSemaphore(value: 0)
    }

    /// Starts a long-running process. Its stdin stays open until `stop()`, so helpers that watch stdin end with
    /// the test process. When `portLine` is set, waits (at most `timeout` seconds) for a stdout line
    /// "PORT <n>" and returns n as `port`.
    public static func start(
        _ executable: String, _ args: [String], environment: [String: String]? = nil, logFile: String? = nil,
        readPort: Bool, timeout: Double = 20
    ) throws -> (process: GitProcess, port: Int?) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = args
        if let environment { process.environment = environment }
        let out = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardInput = inPipe
        if let logFile {
            _ = FileManager.default.createFile(atPath: logFile, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: logFile)
        }
        try process.run()
        let handle = GitProcess(process: process, stdin: inPipe)
        guard readPort else { return (handle, nil) }
        let fd = out.fileHandleForReading.fileDescriptor
        var buffer = Data()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 200) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 256)
            let n = read(fd, &chunk, 256)
            if n <= 0 { break }
            buffer.append(contentsOf: chunk[0..<n])
            let text = String(decoding: buffer, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }), text.contains("\n"),
                let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces))
            {
                return (handle, port)
            }
        }
        handle.stop()
        throw GitCommandError(command: ([executable] + args).joined(separator: " "), status: -1, output: "no PORT line within \(timeout) s: \(String(decoding: buffer, as: UTF8.self))")
    }

    /// Stops the process: closes its stdin (the helper scripts exit on that), then SIGTERM after 3 s, then
    /// SIGKILL. Waits at most about 8 s in all. Safe to call twice.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        try? stdin.fileHandleForWriting.close()
        func wait(_ seconds: Double) {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < deadline { usleep(20_000) }
        }
        wait(3)
        if process.isRunning { process.terminate(); wait(3) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); wait(2) }
    }

    /// Process id, for diagnostics.
    public var pid: Int32 { process.processIdentifier }
}

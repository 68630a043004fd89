public import Foundation

/// A PostgreSQL server owned by a test (`scripts/testing/postgres_test_server.sh`): Debian's binaries, a temporary
/// directory, 127.0.0.1 on a free port, user `promote` with a random password. Stopped and removed by ``stop()``,
/// when the test process ends (the script watches its stdin), or after `timeLimit` seconds, whichever comes first.
public final class TestPostgres: @unchecked Sendable {
    public let port: Int
    /// The password of the user `promote` (pass it through an environment variable, never in the URL).
    public let password: String
    private let process: Process
    private let input: FileHandle
    private let output: FileHandle
    private var buffered = Data()
    private let lock = NSLock()

    /// Starts a server, waiting at most `startTimeout` seconds for it.
    public init(timeLimit: Int = 900, startTimeout: Double = 60) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [GitTestScripts.repositoryRoot + "/scripts/testing/postgres_test_server.sh", String(timeLimit)]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        self.process = process
        input = stdin.fileHandleForWriting
        output = stdout.fileHandleForReading
        var port: Int?
        var password: String?
        do {
            while true {
                let line = try Self.readLine(output, &buffered, timeout: startTimeout)
                if line.hasPrefix("PORT ") { port = Int(line.dropFirst(5)) }
                if line.hasPrefix("PASSWORD ") { password = String(line.dropFirst(9)) }
                if line == "READY" { break }
            }
        } catch {
            try? input.close()
            process.terminate()
            throw error
        }
        guard let port, let password else { throw TestPostgresError(message: "the server script printed no port or password") }
        self.port = port
        self.password = password
    }

    deinit { stop() }

    /// `postgres://promote@127.0.0.1:PORT/DATABASE?sslmode=disable` (no password in it).
    public func url(database: String = "promote") -> String { "postgres://promote@127.0.0.1:\(port)/\(database)?sslmode=disable" }

    /// Creates a database of its own for one test, and returns its name.
    public func createDatabase(_ prefix: String = "t") throws -> String {
        let name = prefix + String(UUID().uuidString.prefix(8)).lowercased()
        try command("createdb \(name)", expect: "CREATED \(name)")
        return name
    }

    /// Stops the server (the database "goes away"); ``startAgain()`` brings it back on the same port.
    public func stopServer() throws { try command("stop", expect: "STOPPED") }

    /// Starts the server stopped by ``stopServer()``.
    public func startAgain() throws { try command("start", expect: "STARTED") }

    /// Stops the server and removes its directory (closing the script's stdin), waiting at most 20 s.
    public func stop() {
        lock.withLock {
            guard process.isRunning else { return }
            try? input.close()
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { process.terminate() }
        }
    }

    private func command(_ text: String, expect: String, timeout: Double = 60) throws {
        try lock.withLock {
            input.write(Data((text + "\n").utf8))
            let line = try Self.readLine(output, &buffered, timeout: timeout)
            guard line == expect else { throw TestPostgresError(message: "'\(text)' answered '\(line)'") }
        }
    }

    private static func readLine(_ handle: FileHandle, _ buffer: inout Data, timeout: Double) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                return line
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw TestPostgresError(message: "no answer from the PostgreSQL test server within \(timeout) s") }
            var pfd = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, Int32(min(remaining, 0.2) * 1000)) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 512)
            let n = read(handle.fileDescriptor, &chunk, 512)
            guard n > 0 else { throw TestPostgresError(message: "the PostgreSQL test server exited (see its stderr)") }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }
}

/// The test PostgreSQL server could not be started or driven.
public struct TestPostgresError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { "test PostgreSQL: \(message)" }
}

import Foundation
import JSON
import TestSupport

/// A real `mlflow server` (PyPI mlflow 3.17.2) on 127.0.0.1 for one test, run through `Tests/python/mlflow_server.py
/// serve`: sqlite backend and artifacts in a temporary folder, one worker, job execution and telemetry off. Start is
/// bounded (90 s for `/health`); ``stop()`` closes the helper's stdin, which stops the server (SIGTERM to its process
/// group, SIGKILL after 4 s), and the helper itself is SIGTERMed and then SIGKILLed if it lingers.
final class MLflowTestServer: @unchecked Sendable {
    /// Why the server could not be started (mlflow missing, no `/health` in time).
    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    static let script = TestSupport.repositoryRoot + "/Tests/python/mlflow_server.py"

    let url: String
    let port: Int
    /// Where the server stores `mlflow-artifacts:/` (its `--artifacts-destination`, a temporary folder).
    let artifactsDestination: String
    private let process: GitProcess

    private init(url: String, port: Int, artifactsDestination: String, process: GitProcess) {
        self.url = url
        self.port = port
        self.artifactsDestination = artifactsDestination
        self.process = process
    }

    deinit { process.stop() }

    /// Starts a server, or throws a failure that says what to do (never skips).
    static func start() throws -> MLflowTestServer {
        let check = try GitProcess.run("/usr/bin/env", ["python3", script, "check"])
        guard check.status == 0 else {
            throw StartFailure(description: "the real-MLflow tests need mlflow 3.17.2 in python3: run scripts/setup.sh "
                + "(\(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) \(check.stderr.suffix(300)))")
        }
        let root = NSTemporaryDirectory() + "promote-mlflow-\(UUID().uuidString)"
        let artifacts = root + "/artifacts"
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        let log = root + "/serve.log"
        let started: (process: GitProcess, port: Int?)
        do {
            started = try GitProcess.start("/usr/bin/env", ["python3", script, "serve", "--artifacts-destination", artifacts, "--lifetime", "900"], logFile: log, readPort: true, timeout: 90)
        } catch {
            let stderr = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw StartFailure(description: "mlflow server did not start: \(error)\n\(stderr.suffix(2000))")
        }
        guard let port = started.port else {
            started.process.stop()
            throw StartFailure(description: "mlflow_server.py serve printed no port")
        }
        return MLflowTestServer(url: "http://127.0.0.1:\(port)", port: port, artifactsDestination: artifacts, process: started.process)
    }

    /// Seeds the server (`mlflow_server.py seed`): a run with metrics and artifacts, versions from `runs:/`, `gs://`,
    /// `mlflow-artifacts:/`, `models:/<name>/<version>` and a logged model. Returns what was made.
    func seed() throws -> JSONValue {
        let result = try GitProcess.run("/usr/bin/env", ["python3", Self.script, "seed", url])
        guard result.status == 0, let doc = JSONValue.parse(Data(result.stdout.utf8)) else {
            throw StartFailure(description: "seeding MLflow failed (\(result.status)): \(result.stderr.suffix(2000))")
        }
        return doc
    }

    /// Stops the server and waits (at most 10 s) until nothing listens on its port; returns whether it is gone.
    @discardableResult
    func stop() -> Bool {
        process.stop()
        try? FileManager.default.removeItem(atPath: (artifactsDestination as NSString).deletingLastPathComponent)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if !GitPorts.accepts(port) { return true }
            usleep(100_000)
        }
        return false
    }
}

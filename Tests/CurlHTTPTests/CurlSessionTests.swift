import CurlHTTP
import Foundation
import Testing

/// CurlHTTP against a real loopback server: statuses, headers, bodies, gzip, caps, timeouts, refusals, reuse.
@Suite struct CurlSessionTests {
    @Test func statusHeadersAndBodyAreReported() async throws {
        try await LoopbackServer.run { server in
            let r = try await perform(HTTPRequest(url: server.base + "/multi")).get()
            #expect(r.status == 200)
            #expect(r.text == "multi")
            #expect(r.headers.values("x-multi") == ["one", "two"])
            #expect(r.headers["Content-Type"] == "text/plain")
            #expect(r.httpVersion == "1.1")
        }
    }

    @Test(arguments: [404, 422, 503])
    func anHTTPErrorStatusIsAResponseNotAnError(code: Int) async throws {
        try await LoopbackServer.run { server in
            let r = try await perform(HTTPRequest(url: server.base + "/status?code=\(code)")).get()
            #expect(r.status == code)
            #expect(r.text == "status \(code)")
        }
    }

    @Test(arguments: ["POST", "PUT", "PATCH", "DELETE"])
    func methodsBodiesAndHeadersAreSent(method: String) async throws {
        try await LoopbackServer.run { server in
            var headers: HTTPHeaders = ["Content-Type": "application/json", "X-Trace": "abc"]
            headers.add("X-Trace", "def")
            let r = try await perform(
                HTTPRequest(method: method, url: server.base + "/echo?q=1", headers: headers, body: Data("{\"a\":1}".utf8)),
                options: CurlOptions(userAgent: "promote-test/1")).get()
            let doc = try #require(try JSONSerialization.jsonObject(with: r.body) as? [String: Any])
            #expect(doc["method"] as? String == method)
            #expect(doc["body"] as? String == "{\"a\":1}")
            #expect(doc["uri"] as? String == "/echo?q=1")
            let sent = try #require(doc["headers"] as? [String: [String]])
            #expect(sent["user-agent"] == ["promote-test/1"])
            #expect(sent["x-trace"] == ["abc", "def"])
            #expect(sent["expect"] == nil)
        }
    }

    @Test func aBodylessPostSendsAnEmptyBody() async throws {
        try await LoopbackServer.run { server in
            let r = try await perform(HTTPRequest(method: "POST", url: server.base + "/echo")).get()
            let doc = try #require(try JSONSerialization.jsonObject(with: r.body) as? [String: Any])
            #expect(doc["method"] as? String == "POST")
            #expect(doc["body"] as? String == "")
        }
    }

    @Test func gzipBodiesAreDecoded() async throws {
        try await LoopbackServer.run { server in
            let r = try await perform(HTTPRequest(url: server.base + "/gzip")).get()
            #expect(r.headers["Content-Encoding"] == "gzip")
            #expect(r.text == String(repeating: "compressible text ", count: 2000))
            let plain = try await perform(HTTPRequest(url: server.base + "/gzip"), options: CurlOptions(acceptCompressed: false)).get()
            #expect(plain.text == "identity")
        }
    }

    @Test(arguments: [false, true])
    func theResponseSizeCapHolds(chunked: Bool) async throws {
        try await LoopbackServer.run { server in
            let results = await perform([
                HTTPRequest(url: server.base + "/big?n=\(1 << 19)\(chunked ? "&chunked=1" : "")"),
                HTTPRequest(url: server.base + "/big?n=\(3 << 20)\(chunked ? "&chunked=1" : "")"),
            ], options: CurlOptions(maxResponseBytes: 1 << 20))
            let ok = try results[0].get()
            #expect(ok.body.count == 1 << 19)
            let error = try #require(throws: CurlError.self) { try results[1].get() }
            #expect(error.kind == .responseTooLarge)
            #expect(error.message == "response body exceeds 1048576 bytes")
            #expect(!error.isTransient)
        }
    }

    @Test func theTotalTimeoutFires() async throws {
        try await LoopbackServer.run { server in
            let result = await perform(HTTPRequest(url: server.base + "/slow?ms=3000"), options: CurlOptions(totalTimeout: .milliseconds(300)))
            let error = try #require(throws: CurlError.self) { try result.get() }
            #expect(error.kind == .timeout && error.code == 28 && error.isTransient)
            #expect(error.description.contains("curl error 28"))
        }
    }

    @Test func theLowSpeedTimeoutFires() async throws {
        try await LoopbackServer.run { server in
            let result = await perform(HTTPRequest(url: server.base + "/stall"),
                                       options: CurlOptions(totalTimeout: .seconds(30), lowSpeedBytesPerSecond: 100, lowSpeedTime: .seconds(1)))
            let error = try #require(throws: CurlError.self) { try result.get() }
            #expect(error.kind == .timeout)
        }
    }

    @Test func aRefusedConnectionIsATransientTransportError() throws {
        let error = try #require(throws: CurlError.self) {
            try CurlSession().perform(HTTPRequest(url: "http://user:secret@127.0.0.1:1/x?token=abc"))
        }
        #expect(error.kind == .connect && error.code == 7 && error.isTransient)
        #expect(error.request == "GET http://127.0.0.1:1/x")  // no query, no credentials
        #expect(!error.description.contains("secret") && !error.description.contains("abc"))
    }

    /// TLS against a plain-TCP listener (a child process, not the in-process server: a client that drops the
    /// connection right after connecting is what this test does, and NIO must not see that race in-process).
    @Test func tlsIsVerifiedAndABadCABundleIsATLSError() async throws {
        let listener = Process()
        listener.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        listener.arguments = ["python3", "-c", """
            import os, socket, sys, threading
            threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()  # exit when stdin closes
            threading.Timer(300, lambda: os._exit(0)).start()  # and in any case after 5 minutes
            s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
            print(s.getsockname()[1], flush=True)
            try:
                while True:
                    c, _ = s.accept(); c.settimeout(2)
                    try: c.recv(4096); c.sendall(b"HTTP/1.1 400 Bad Request\\r\\nContent-Length: 0\\r\\n\\r\\n")
                    except OSError: pass
                    c.close()
            except OSError: pass
            """]
        let out = Pipe(), input = Pipe()
        listener.standardOutput = out
        listener.standardInput = input
        try listener.run()
        defer {
            try? input.fileHandleForWriting.close()  // the listener exits when its stdin closes
            listener.waitUntilExit()
        }
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        let port = try #require(Int(String(decoding: line, as: UTF8.self)))
        let viaTLS = await perform(HTTPRequest(url: "https://127.0.0.1:\(port)/"))  // not a TLS server
        let plain = try #require(throws: CurlError.self) { try viaTLS.get() }
        #expect(plain.kind == .tls)
        let badCA = await perform(HTTPRequest(url: "https://127.0.0.1:\(port)/"), options: CurlOptions(caBundlePath: "/nonexistent/ca.pem"))
        let missing = try #require(throws: CurlError.self) { try badCA.get() }
        #expect(missing.kind == .tls)
    }

    @Test func oneSessionReusesItsConnection() async throws {
        try await LoopbackServer.run { server in
            let results = await perform([
                HTTPRequest(url: server.base + "/multi"),
                HTTPRequest(method: "POST", url: server.base + "/echo", body: Data("x".utf8)),
                HTTPRequest(url: server.base + "/status?code=404"),
            ])
            let first = try results[0].get(), second = try results[1].get(), third = try results[2].get()
            #expect(!first.reusedConnection)
            #expect(second.reusedConnection && third.reusedConnection)
        }
    }

    @Test func theWorkerPoolServesConcurrentCallers() async throws {
        try await LoopbackServer.run { server in
            let pool = CurlWorkerPool(threads: 2)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<20 {
                    group.addTask { try await pool.perform(HTTPRequest(url: server.base + "/status?code=\(200 + i)")).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.sorted() == Array(200..<220))
            let refused = await #expect(throws: CurlError.self) { try await pool.perform(HTTPRequest(url: "http://127.0.0.1:1/")) }
            #expect(refused?.kind == .connect)
            pool.shutdown()
            let afterShutdown = await #expect(throws: CurlError.self) { try await pool.perform(HTTPRequest(url: server.base + "/multi")) }
            #expect(afterShutdown?.message.contains("shut down") == true)
        }
    }

    @Test func libcurlIsInitialisedWithHTTP2() {
        #expect(CurlHTTP.libcurlVersion.hasPrefix("7.") || CurlHTTP.libcurlVersion.hasPrefix("8."))
        #expect(CurlHTTP.supportsHTTP2)
    }
}

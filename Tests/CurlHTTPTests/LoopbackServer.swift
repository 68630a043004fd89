import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A Hummingbird server on 127.0.0.1 with the endpoints the CurlHTTP tests need.
struct LoopbackServer {
    let port: Int
    let task: Task<Void, any Error>

    var base: String { "http://127.0.0.1:\(port)" }

    static func start() async throws -> LoopbackServer {
        let gzipped = try gzip(Data(String(repeating: "compressible text ", count: 2000).utf8))
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let path = request.uri.path
            let query = request.uri.queryParameters
            switch path {
            case "/echo":
                var headers: [String: [String]] = [:]
                for f in request.headers { headers[f.name.canonicalName, default: []].append(f.value) }
                let doc: [String: Any] = ["method": request.method.rawValue, "headers": headers,
                                          "body": String(buffer: body), "uri": request.uri.string]
                let data = try JSONSerialization.data(withJSONObject: doc)
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
            case "/multi":
                var fields = HTTPFields()
                fields.append(HTTPField(name: HTTPField.Name("X-Multi")!, value: "one"))
                fields.append(HTTPField(name: HTTPField.Name("X-Multi")!, value: "two"))
                fields.append(HTTPField(name: .contentType, value: "text/plain"))
                return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(string: "multi")))
            case "/status":
                let code = Int(query["code"].map(String.init) ?? "500") ?? 500
                return Response(status: .init(code: code), headers: [.contentType: "text/plain"],
                                body: .init(byteBuffer: ByteBuffer(string: "status \(code)")))
            case "/gzip":
                let accepts = request.headers[.acceptEncoding] ?? ""
                if accepts.contains("gzip") {
                    return Response(status: .ok, headers: [.contentEncoding: "gzip", .contentType: "text/plain"],
                                    body: .init(byteBuffer: ByteBuffer(bytes: gzipped)))
                }
                return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "identity")))
            case "/big":
                let n = Int(query["n"].map(String.init) ?? "0") ?? 0
                if query["chunked"] != nil {  // no Content-Length: the cap must fire while streaming
                    return Response(status: .ok, body: ResponseBody { writer in
                        var left = n
                        do {
                            while left > 0 {
                                let k = min(left, 64 << 10)
                                try await writer.write(ByteBuffer(repeating: UInt8(ascii: "x"), count: k))
                                left -= k
                            }
                        } catch {}  // the client hung up (the cap fired): still finish the writer
                        try await writer.finish(nil)
                    })
                }
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: n)))
            case "/slow":
                try await Task.sleep(for: .milliseconds(Int(query["ms"].map(String.init) ?? "2000") ?? 2000))
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "late")))
            case "/stall":
                return Response(status: .ok, body: ResponseBody { writer in
                    try? await writer.write(ByteBuffer(string: "start"))
                    try? await Task.sleep(for: .seconds(5))  // ends early when the server stops
                    try await writer.finish(nil)
                })
            default:
                return Response(status: .notFound)
            }
        }
        let (stream, sink) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "curl-tests")
        logger.logLevel = .critical
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                sink.yield(channel.localAddress?.port ?? 0)
                sink.finish()
            },
            logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var port = 0
        for await p in stream { port = p }
        return LoopbackServer(port: port, task: task)
    }

    /// Starts a server, runs `body`, and stops the server (awaited) whether `body` succeeds or throws.
    static func run(_ body: (LoopbackServer) async throws -> Void) async throws {
        let server = try await start()
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    /// gzip-compresses with the `gzip` tool.
    static func gzip(_ data: Data) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["gzip", "-c"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(data)
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return out
    }
}

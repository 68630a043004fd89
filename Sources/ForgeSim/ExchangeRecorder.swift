internal import JSON
internal import Foundation

/// Appends every API exchange to a JSON-lines file, for validation against the forges' API descriptions.
/// Credentials are recorded as their scheme only (`token ***`).
final class ExchangeRecorder: @unchecked Sendable {
    private let handle: FileHandle?
    private let lock = NSLock()

    init(path: String?) {
        guard let path else {
            handle = nil
            return
        }
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        handle = FileHandle(forWritingAtPath: path)
    }

    func record(flavour: ForgeSimFlavour, prefix: String, request: SimRequest, response: SimResponse) {
        guard let handle else { return }
        var reqHeaders: [String: SimJSON] = [:]
        for (name, value) in request.headers {
            let lower = name.lowercased()
            if lower == "authorization" {
                let scheme = value.split(separator: " ").first.map(String.init) ?? ""
                reqHeaders[lower] = .string("\(scheme) ***")
            } else if lower == "private-token" || lower == "job-token" {
                reqHeaders[lower] = "***"
            } else {
                reqHeaders[lower] = .string(value)
            }
        }
        var resHeaders: [String: SimJSON] = [:]
        for (name, value) in response.headers { resHeaders[name.lowercased()] = .string(value) }
        let maxRecorded = 1 << 20
        func bodyJSON(_ d: Data) -> SimJSON {
            if d.isEmpty { return .null }
            if d.count > maxRecorded { return ["truncated": true, "bytes": .int(d.count)] }
            return SimJSON.parse(d) ?? ["non_json": .string(String(decoding: d.prefix(200), as: UTF8.self))]
        }
        let line: SimJSON = [
            "flavour": .string(flavour.rawValue),
            "method": .string(request.method),
            "path": .string(prefix + request.path),
            "query": .string(request.rawQuery),
            "request_headers": .object(reqHeaders),
            "request_body": bodyJSON(request.body),
            "request_raw_body": request.body.isEmpty ? .null : .string(String(decoding: request.body.prefix(maxRecorded), as: UTF8.self)),
            "status": .int(response.status),
            "response_headers": .object(resHeaders),
            "response_body": bodyJSON(response.body),
            "response_is_json": .bool(response.body.isEmpty || SimJSON.parse(response.body) != nil),
            "fault": SimJSON.str(response.fault),
        ]
        var data = line.encoded()
        data.append(0x0A)
        lock.withLock { handle.write(data) }
    }
}

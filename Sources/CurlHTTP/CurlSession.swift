internal import Foundation
internal import Clibcurl

/// One libcurl easy handle, reused request after request so that connections stay open.
///
/// Not thread-safe and not `Sendable`: create one per thread (``CurlWorkerPool`` does). Every request
/// resets the handle's options (keeping its connection and DNS caches) and sets them all again.
public final class CurlSession {
    /// The settings applied to every request.
    public var options: CurlOptions
    private let handle: UnsafeMutableRawPointer

    /// Creates a session. Fails only if libcurl cannot allocate a handle.
    public init(options: CurlOptions = CurlOptions()) throws(CurlError) {
        CurlHTTP.ensureGlobalInit()
        guard let h = curl_easy_init() else {
            throw CurlError(kind: .other, code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init failed", request: "")
        }
        self.handle = h
        self.options = options
    }

    deinit { curl_easy_cleanup(handle) }

    /// Performs `request` on this thread. Any HTTP status is a response; only transport failures throw.
    public func perform(_ request: HTTPRequest) throws(CurlError) -> HTTPResponse {
        let what = CurlError.describe(method: request.method, url: request.url)
        let sink = ResponseSink(limit: options.maxResponseBytes)
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }

        curl_easy_reset(handle)
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errBuf in
            var setup = CURLE_OK
            func set(_ o: CURLoption, _ v: Int) { if setup == CURLE_OK { setup = pb_curl_setopt_long(handle, o, v) } }
            func set(_ o: CURLoption, _ v: String) { if setup == CURLE_OK { setup = pb_curl_setopt_string(handle, o, v) } }
            setup = pb_curl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errBuf.baseAddress)
            set(CURLOPT_URL, request.url)
            set(CURLOPT_NOSIGNAL, 1)
            set(CURLOPT_PROTOCOLS_STR, "http,https")
            set(CURLOPT_CONNECTTIMEOUT_MS, options.connectTimeout.milliseconds)
            set(CURLOPT_TIMEOUT_MS, options.totalTimeout.milliseconds)
            set(CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedBytesPerSecond)
            set(CURLOPT_LOW_SPEED_TIME, max(1, options.lowSpeedTime.milliseconds / 1000))
            set(CURLOPT_SSL_VERIFYPEER, 1)
            set(CURLOPT_SSL_VERIFYHOST, 2)
            if let ca = options.caBundlePath { set(CURLOPT_CAINFO, ca) }
            set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
            set(CURLOPT_TCP_KEEPALIVE, 1)
            if options.acceptCompressed { set(CURLOPT_ACCEPT_ENCODING, "") }
            if options.followRedirects {
                set(CURLOPT_FOLLOWLOCATION, 1)
                set(CURLOPT_MAXREDIRS, 5)
            }
            if setup == CURLE_OK {
                setup = pb_curl_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options.maxResponseBytes))
            }
            // Method and body. Proxies come from the environment (http_proxy, https_proxy, no_proxy), as libcurl does by default.
            switch request.method {
            case "GET" where request.body == nil: set(CURLOPT_HTTPGET, 1)
            case "HEAD": set(CURLOPT_NOBODY, 1)
            default:
                if request.method != "POST" { set(CURLOPT_CUSTOMREQUEST, request.method) }
                if let body = request.body {
                    set(CURLOPT_POST, 1)
                    if setup == CURLE_OK { setup = pb_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)) }
                    if setup == CURLE_OK {
                        setup = body.withUnsafeBytes { raw in
                            pb_curl_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
                        }
                    }
                } else if request.method == "POST" {
                    set(CURLOPT_POST, 1)
                    set(CURLOPT_POSTFIELDSIZE, 0)
                }
            }
            var headers = request.headers
            if headers["User-Agent"] == nil { headers.add("User-Agent", options.userAgent) }
            headers.set("Expect", "")  // no 100-continue round trip
            for field in headers {
                let line = field.value.isEmpty ? "\(field.name):" : "\(field.name): \(field.value)"
                headerList = curl_slist_append(headerList, line)
            }
            if setup == CURLE_OK { setup = pb_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList) }
            let me = Unmanaged.passUnretained(sink).toOpaque()
            if setup == CURLE_OK { setup = pb_curl_setopt_data_cb(handle, CURLOPT_WRITEFUNCTION, { ptr, size, n, ud in
                let sink = Unmanaged<ResponseSink>.fromOpaque(ud!).takeUnretainedValue()
                return sink.body(UnsafeRawBufferPointer(start: ptr, count: size * n)) ? size * n : 0
            }) }
            if setup == CURLE_OK { setup = pb_curl_setopt_ptr(handle, CURLOPT_WRITEDATA, me) }
            if setup == CURLE_OK { setup = pb_curl_setopt_data_cb(handle, CURLOPT_HEADERFUNCTION, { ptr, size, n, ud in
                let sink = Unmanaged<ResponseSink>.fromOpaque(ud!).takeUnretainedValue()
                sink.headerLine(UnsafeRawBufferPointer(start: ptr, count: size * n))
                return size * n
            }) }
            if setup == CURLE_OK { setup = pb_curl_setopt_ptr(handle, CURLOPT_HEADERDATA, me) }
            guard setup == CURLE_OK else { return setup }
            return curl_easy_perform(handle)
        }

        guard code == CURLE_OK else {
            let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            let generic = String(cString: curl_easy_strerror(code))
            let message = detail.isEmpty || detail == generic ? generic : "\(generic): \(detail)"
            let tooLarge = sink.overflowed || code == CURLE_FILESIZE_EXCEEDED
            throw CurlError(kind: tooLarge ? .responseTooLarge : Self.kind(of: code),
                            code: Int(code.rawValue),
                            message: tooLarge ? "response body exceeds \(options.maxResponseBytes) bytes" : message,
                            request: what)
        }
        var status = 0
        _ = pb_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var version = 0
        _ = pb_curl_getinfo_long(handle, CURLINFO_HTTP_VERSION, &version)
        var connects = 0
        _ = pb_curl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        var urlPointer: UnsafeMutablePointer<CChar>? = nil
        _ = pb_curl_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &urlPointer)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.data,
                            httpVersion: Self.versionName(version),
                            effectiveURL: urlPointer.map { String(cString: $0) } ?? request.url,
                            reusedConnection: connects == 0)
    }

    private static func versionName(_ v: Int) -> String {
        switch v {
        case Int(CURL_HTTP_VERSION_1_0): "1.0"
        case Int(CURL_HTTP_VERSION_2_0): "2"
        case Int(CURL_HTTP_VERSION_3): "3"
        default: "1.1"
        }
    }

    private static func kind(of code: CURLcode) -> CurlError.Kind {
        switch code {
        case CURLE_COULDNT_CONNECT: .connect
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .resolve
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            .connectionLost
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            .tls
        case CURLE_FILESIZE_EXCEEDED: .responseTooLarge
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_UNKNOWN_OPTION: .invalidRequest
        default: .other
        }
    }
}

/// Collects the headers and body of one exchange inside libcurl's callbacks.
private final class ResponseSink {
    let limit: Int
    var data = Data()
    var headers = HTTPHeaders()
    var overflowed = false

    init(limit: Int) { self.limit = limit }

    func body(_ chunk: UnsafeRawBufferPointer) -> Bool {
        if data.count + chunk.count > limit {
            overflowed = true
            return false
        }
        data.append(contentsOf: chunk)
        return true
    }

    func headerLine(_ raw: UnsafeRawBufferPointer) {
        var bytes = Array(raw)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers = HTTPHeaders()  // a new response (redirect, 100 Continue): keep only the last one's headers
            return
        }
        if let first = line.first, first == " " || first == "\t", var last = headers.fields.last {
            // obsolete line folding: continue the previous field
            last.value += " " + line.trimmingCharacters(in: .whitespaces)
            var all = headers.fields
            all[all.count - 1] = last
            headers = HTTPHeaders(all)
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon])
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        headers.add(name, value)
    }
}

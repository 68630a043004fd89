internal import Clibcurl

/// A synchronous, domain-free wrapper of the libcurl easy API.
///
/// ``CurlSession`` performs one request at a time on the calling thread and keeps its connections
/// open for the next; ``CurlWorkerPool`` gives async callers a few dedicated threads, each with its
/// own session. libcurl is initialised once, lazily, and never shut down.
public enum CurlHTTP {
    /// The libcurl version string, e.g. `7.88.1`.
    public static var libcurlVersion: String {
        ensureGlobalInit()
        guard let info = pb_curl_version_info(), let v = info.pointee.version else { return "unknown" }
        return String(cString: v)
    }

    /// Whether this libcurl was built with HTTP/2 support.
    public static var supportsHTTP2: Bool {
        ensureGlobalInit()
        guard let info = pb_curl_version_info() else { return false }
        return info.pointee.features & Int32(CURL_VERSION_HTTP2) != 0
    }

    /// The default `User-Agent` product token for this library.
    public static var defaultUserAgent: String { "promote (libcurl/\(libcurlVersion))" }

    /// Runs `curl_global_init` exactly once per process (Swift globals are initialised once, thread-safely).
    static func ensureGlobalInit() { _ = globalInit }
}

/// The result of the one `curl_global_init` call.
private let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

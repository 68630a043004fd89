import CurlHTTP
import Foundation

/// Runs blocking libcurl work on a thread of its own, as products must (a blocked cooperative thread would starve
/// the in-process server the tests talk to), and returns its result to the async test.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws(CurlError) -> T) async -> Result<T, CurlError> {
    await withCheckedContinuation { continuation in
        let t = Thread {
            do throws(CurlError) {
                continuation.resume(returning: .success(try body()))
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }
        t.start()
    }
}

/// Performs requests on one new session on one thread (so the connection can be reused between them).
func perform(_ requests: [HTTPRequest], options: CurlOptions = CurlOptions()) async -> [Result<HTTPResponse, CurlError>] {
    let outcome = await onThread { () throws(CurlError) -> [Result<HTTPResponse, CurlError>] in
        let session = try CurlSession(options: options)
        return requests.map { r in
            do throws(CurlError) { return .success(try session.perform(r)) } catch { return .failure(error) }
        }
    }
    switch outcome {
    case .success(let results): return results
    case .failure(let e): return requests.map { _ in .failure(e) }
    }
}

func perform(_ request: HTTPRequest, options: CurlOptions = CurlOptions()) async -> Result<HTTPResponse, CurlError> {
    await perform([request], options: options)[0]
}

import Testing
@testable import CurlHTTP

@Test func moduleLinks() {
    #expect(String(describing: CurlHTTP.self) == "CurlHTTP")
}

// TargetMatchTests: path-prefix and absolute-form target helpers used by routing.
import Testing
@testable import TracegateDataPlane

@Suite struct TargetMatchTests {
    func bytes(_ s: String, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        var a = Array(s.utf8)
        return a.withUnsafeMutableBytes { body(UnsafeRawBufferPointer($0)) }
    }

    @Test(arguments: [("/api/users", "/api/", true), ("/api", "/api/", false), ("/", "/", true), ("/API/x", "/api/", false)])
    func prefix(path: String, prefix: String, expected: Bool) {
        #expect(bytes(path) { TargetMatch.hasPrefix($0, Array(prefix.utf8)) } == expected)
    }

    @Test func schemes() {
        #expect(bytes("http://example.com/x") { TargetMatch.schemeLength($0) == 7 })
        #expect(bytes("HTTPS://example.com/x") { TargetMatch.schemeLength($0) == 8 })
        #expect(bytes("/plain") { TargetMatch.schemeLength($0) == nil })
    }
}

import Foundation
import Testing

@testable import TracegateTestSupport

/// Pure pieces: hashing, the pattern, head parsing, line buffering, the ready line.
@Suite struct BuildingBlockTests {
    @Test(arguments: [
        ("", "cbf29ce484222325"),
        ("a", "af63dc4c8601ec8c"),
        ("foobar", "85944171f73967e8"),
    ])
    func fnv1a64MatchesReferenceVectors(input: String, hex: String) {
        #expect(FNV1a64.hash(Array(input.utf8)).hex == hex)
    }

    @Test func fnv1a64IsIncremental() {
        var hasher = FNV1a64()
        hasher.update(Array("foo".utf8))
        hasher.update(Array("bar".utf8))
        #expect(hasher == FNV1a64.hash(Array("foobar".utf8)))
        #expect(hasher != FNV1a64.hash(Array("barfoo".utf8)))
    }

    @Test func patternIsIModulo251AcrossBlocks() {
        let bytes = FixturePattern.bytes(from: 65_530, count: 70_000)
        #expect(bytes.count == 70_000)
        #expect(bytes[0] == UInt8(65_530 % 251))
        #expect(FixturePattern.firstMismatch(in: bytes, from: 65_530) == nil)
        #expect(FixturePattern.firstMismatch(in: bytes, from: 0) == 0)
        var blocks = [UInt8]()
        FixturePattern.forEachBlock(totalBytes: 200_000) { blocks.append(contentsOf: $0); return true }
        #expect(blocks == FixturePattern.bytes(count: 200_000))
        #expect(FixturePattern.fnv1a64(totalBytes: 200_000) == FNV1a64.hash(blocks))
        var corrupted = blocks
        corrupted[123_456] ^= 1
        #expect(FixturePattern.firstMismatch(in: corrupted) == 123_456)
    }

    @Test func patternBlocksCanStopEarly() {
        var seen = 0
        let complete = FixturePattern.forEachBlock(totalBytes: 1 << 20) { block in
            seen += block.count
            return seen < 100_000
        }
        #expect(!complete)
        #expect(seen == 2 * FixturePattern.blockSize)
    }

    @Test func headParsing() throws {
        let head = try #require(HTTPHead(bytes: Array("HTTP/1.1 200 All Good\r\nA:1\nB :  two words \r\nA: 3\r\n\r\n".utf8)))
        #expect(head.startLine == "HTTP/1.1 200 All Good")
        #expect(head.startLineParts == ["HTTP/1.1", "200", "All Good"])
        #expect(head.header("a") == "1")
        #expect(head.headers(named: "A") == ["1", "3"])
        #expect(head.headers[1].name == "B ")
        #expect(head.headers[1].value == "two words")
        #expect(HTTPHead(bytes: []) == nil)
        #expect(HTTPHead(bytes: Array("GET / HTTP/1.1\r\nno colon\r\n\r\n".utf8)) == nil)
        #expect(HTTPHead(bytes: Array("GET / HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n".utf8)) == nil)
    }

    @Test func lineBufferSplitsAcrossAppendsAndFlushesAtEnd() {
        let buffer = LineBuffer()
        buffer.append(Array("one\r\ntw".utf8))
        #expect(buffer.lines == ["one"])
        buffer.append(Array("o\nthree".utf8))
        #expect(buffer.lines == ["one", "two"])
        #expect(!buffer.isFinished)
        buffer.append([])
        #expect(buffer.lines == ["one", "two", "three"])
        #expect(buffer.isFinished)
        #expect(buffer.wait(timeout: .seconds(1), from: 1) { lines, _ in lines.first } == "two")
        #expect(buffer.wait(timeout: .milliseconds(50), from: 9) { lines, _ in lines.first } == nil)
    }

    @Test func lineBufferWakesWaiters() throws {
        let buffer = LineBuffer()
        let writer = try NativeThread.spawn { buffer.append(Array("late line\n".utf8)) }
        let line = buffer.wait(timeout: .seconds(10)) { lines, _ in lines.first }
        writer.join()
        #expect(line == "late line")
    }

    @Test func readyLineParsing() throws {
        let line = #"{"event":"ready","pid":42,"listeners":{"main":"127.0.0.1:8080","tls":"127.0.0.1:8443"},"admin":"127.0.0.1:9000"}"#
        let ready = try #require(ProxyReadyLine.parse(line))
        #expect(ready.pid == 42)
        #expect(ready.listeners == ["main": "127.0.0.1:8080", "tls": "127.0.0.1:8443"])
        #expect(ready.admin == "127.0.0.1:9000")
        #expect(ProxyReadyLine.port(of: "127.0.0.1:8080") == 8080)
        #expect(ProxyReadyLine.port(of: "no-port") == nil)
        #expect(ProxyReadyLine.parse(#"{"event":"reloaded","listeners":{}}"#) == nil)
        #expect(ProxyReadyLine.parse(#"{"event":"ready","listeners":{"main":8080}}"#) == nil)
        #expect(ProxyReadyLine.parse(#"{"event":"ready"}"#) == nil)
        #expect(ProxyReadyLine.parse("ready but not json") == nil)
    }

    @Test func monitorWaitTimesOutAndWakes() throws {
        let monitor = Monitor(0)
        #expect(monitor.wait(timeout: .milliseconds(50)) { $0 > 0 ? $0 : nil } == nil)
        let thread = try NativeThread.spawn { monitor.update { $0 = 7 } }
        #expect(monitor.wait(timeout: .seconds(10)) { $0 > 0 ? $0 : nil } == 7)
        thread.join()
    }

    @Test func errorsExplainThemselves() {
        let missing = TestSupportError.toolMissing(name: "nghttp", debianPackage: "nghttp2-client")
        #expect(missing.description.contains("nghttp2-client"))
        #expect(missing.description.contains("scripts/test.sh"))
        #expect(TestSupportError.socket(operation: "connect", errno: ECONNREFUSED).description.contains("refused"))
    }
}

// ShadowHeadTests: the primary's upstream head rewritten for the shadow cluster.
import Testing
import TracegateContext
import TracegateHTTP
@testable import TracegateDataPlane

@Suite struct ShadowHeadTests {
    static let trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let primarySpan = "00f067aa0ba902b7"
    static let shadowSpan = SpanID(0x1122_3344_5566_7788)

    /// Runs `ShadowHead.write` on `head`, with the traceparent offset found the way the worker
    /// records it (right after "traceparent: 00-<trace id>-"), and returns the shadow head.
    static func shadow(of head: String, suffix: String = "-shadow") -> (ok: Bool, text: String) {
        var out = IOBuffer()
        defer { out.release() }
        let bytes = Array(head.utf8)
        let marker = Array("traceparent: 00-".utf8)
        var offset = -1
        if let i = (0...(bytes.count - marker.count)).first(where: { Array(bytes[$0..<$0 + marker.count]) == marker }) {
            offset = i + marker.count + TraceID.hexLength + 1
        }
        let ok = bytes.withUnsafeBytes { h in
            Array(suffix.utf8).withUnsafeBytes { s in
                ShadowHead.write(h, traceparentOffset: offset, spanID: shadowSpan, hostSuffix: s, into: &out)
            }
        }
        return (ok, String(decoding: out.readable, as: UTF8.self))
    }

    @Test func http11HeadGetsItsOwnSpanAHostSuffixAndTheMarker() {
        let head = "POST /orders?id=7 HTTP/1.1\r\nHost: shop.example:8080\r\nContent-Length: 5\r\nX-Forwarded-For: 127.0.0.1\r\n"
            + "Via: 1.1 tracegate\r\ntraceparent: 00-\(Self.trace)-\(Self.primarySpan)-01\r\nX-Correlation-ID: abc\r\n\r\n"
        let result = Self.shadow(of: head)
        #expect(result.ok)
        #expect(result.text == "POST /orders?id=7 HTTP/1.1\r\nHost: shop.example:8080-shadow\r\nContent-Length: 5\r\n"
            + "X-Forwarded-For: 127.0.0.1\r\nVia: 1.1 tracegate\r\ntraceparent: 00-\(Self.trace)-1122334455667788-01\r\n"
            + "X-Correlation-ID: abc\r\nX-Tracegate-Shadow: 1\r\n\r\n")
    }

    @Test func h2TranslatedHeadKeepsItsFieldsAndLowercaseHost() throws {
        var fields = FieldBlock()
        for (name, value) in [(":method", "GET"), (":scheme", "http"), (":authority", "api.example"), (":path", "/v1/items"),
                              ("accept", "*/*"), ("user-agent", "curl/8")] {
            fields.append(name: Array(name.utf8), value: Array(value.utf8))
        }
        var translated = IOBuffer()
        defer { translated.release() }
        _ = try H2RequestTranslator.writeHTTP1Head(fields, endStream: true, into: &translated)
        let text = String(decoding: translated.readable, as: UTF8.self)
        #expect(text.hasPrefix("GET /v1/items HTTP/1.1\r\nhost: api.example\r\n"))
        // What writeUpstreamHead appends to a stream's translated head before the empty line.
        // ("\r\n" is one Character: dropping one drops the empty line.)
        let upstream = String(text.dropLast()) + "X-Forwarded-For: 127.0.0.1\r\nVia: 2 tracegate\r\n"
            + "traceparent: 00-\(Self.trace)-\(Self.primarySpan)-00\r\n\r\n"
        let result = Self.shadow(of: upstream, suffix: ".staging")
        #expect(result.ok)
        #expect(result.text == "GET /v1/items HTTP/1.1\r\nhost: api.example.staging\r\naccept: */*\r\nuser-agent: curl/8\r\n"
            + "X-Forwarded-For: 127.0.0.1\r\nVia: 2 tracegate\r\ntraceparent: 00-\(Self.trace)-1122334455667788-00\r\n"
            + "X-Tracegate-Shadow: 1\r\n\r\n")
    }

    @Test func hostValueLosesTrailingWhitespaceBeforeTheSuffix() {
        let result = Self.shadow(of: "GET / HTTP/1.1\r\nHOST: a.example \t\r\n\r\n")
        #expect(result.text == "GET / HTTP/1.1\r\nHOST: a.example-shadow\r\nX-Tracegate-Shadow: 1\r\n\r\n")
    }

    @Test func aClientsOwnMarkerIsDroppedSoOnlyOursArrives() {
        let result = Self.shadow(of: "GET / HTTP/1.1\r\nx-tracegate-shadow: 0\r\nHost: a\r\nX-Tracegate-Shadow: yes\r\n\r\n")
        #expect(result.text == "GET / HTTP/1.1\r\nHost: a-shadow\r\nX-Tracegate-Shadow: 1\r\n\r\n")
    }

    @Test func aHeadWithoutTraceparentOnlyGetsTheOtherChanges() {
        let result = Self.shadow(of: "DELETE /x HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n", suffix: "")
        #expect(result.text == "DELETE /x HTTP/1.1\r\nHost: a\r\nAccept: */*\r\nX-Tracegate-Shadow: 1\r\n\r\n")
    }

    @Test func theSpanIsWrittenWhereverTheHostLineMovedIt() {
        // traceparent before Host: the suffix must not shift the span's position, and after Host
        // (the usual order) the position shifts by the suffix's length; both are covered above
        // and here.
        let head = "GET / HTTP/1.1\r\ntraceparent: 00-\(Self.trace)-\(Self.primarySpan)-01\r\nHost: h\r\n\r\n"
        let result = Self.shadow(of: head, suffix: "-a-long-suffix")
        #expect(result.text == "GET / HTTP/1.1\r\ntraceparent: 00-\(Self.trace)-1122334455667788-01\r\nHost: h-a-long-suffix\r\n"
            + "X-Tracegate-Shadow: 1\r\n\r\n")
    }

    @Test func anIncompleteHeadWritesNothing() {
        var out = IOBuffer()
        defer { out.release() }
        out.append("kept")
        let head = Array("GET / HTTP/1.1\r\nHost: a\r\n".utf8)
        let ok = head.withUnsafeBytes { h in
            ShadowHead.write(h, traceparentOffset: -1, spanID: Self.shadowSpan, hostSuffix: UnsafeRawBufferPointer(start: nil, count: 0), into: &out)
        }
        #expect(!ok)
        #expect(String(decoding: out.readable, as: UTF8.self) == "kept")
    }
}

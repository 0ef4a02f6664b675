// PropertyTests.swift — seeded round trips: serialise random valid values, parse, compare.

import Testing
import TracegateContext

@Suite struct PropertyTests {
    @Test func traceparentRoundTrips() {
        var random = FastRandom(seed: 0x7472_6163_6570_6172)
        for _ in 0..<1000 {
            let value = TraceParent(
                traceID: random.nextTraceID(),
                parentID: random.nextSpanID(),
                flags: TraceFlags(rawValue: UInt8(truncatingIfNeeded: random.next()))
            )
            let text = value.description
            let parsed = withBytes(text) { TraceParent.parse($0) }
            #expect(parsed == value, "\(text)")
        }
    }

    @Test func tracestateRoundTrips() {
        var random = FastRandom(seed: 0x7472_6163_6573_7461)
        let keyFirst = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        let keyRest = Array("abcdefghijklmnopqrstuvwxyz0123456789_-*/@".utf8)
        let valueChars = (UInt8(0x20)...0x7E).filter { $0 != 0x2C && $0 != 0x3D }
        let ows = [" ", "\t", " \t", ""]
        for _ in 0..<1000 {
            let count = Int.random(in: 1...32, using: &random)
            var members: [(String, String)] = []
            var seen = Set<String>()
            while members.count < count {
                var key = [keyFirst.randomElement(using: &random)!]
                for _ in 0..<Int.random(in: 0...20, using: &random) { key.append(keyRest.randomElement(using: &random)!) }
                var value = (0..<Int.random(in: 0...30, using: &random)).map { _ in valueChars.randomElement(using: &random)! }
                var last = valueChars.randomElement(using: &random)!
                while last == 0x20 { last = valueChars.randomElement(using: &random)! }
                value.append(last)
                let k = String(decoding: key, as: UTF8.self)
                guard seen.insert(k).inserted else { continue }
                members.append((k, String(decoding: value, as: UTF8.self)))
            }
            // Serialise with random OWS, empty members, split over up to three lines.
            var lines: [String] = []
            var current = ""
            for (index, member) in members.enumerated() {
                if !current.isEmpty { current += ows.randomElement(using: &random)! + "," + ows.randomElement(using: &random)! }
                if Int.random(in: 0..<10, using: &random) == 0 { current += ",\(ows.randomElement(using: &random)!)," }
                current += "\(member.0)=\(member.1)"
                if index < members.count - 1, lines.count < 2, Int.random(in: 0..<8, using: &random) == 0 {
                    lines.append(current)
                    current = ""
                }
            }
            lines.append(current)
            withArena { arena in
                let fields = HeaderFields(lines.map(arena.bytes))
                #expect(TraceState.memberCount(fields: fields, keyGrammar: .level2) == members.count, "\(lines)")
                var parsed: [(String, String)] = []
                for index in 0..<fields.count {
                    for member in TraceState.Members(fields[index]) { parsed.append((member.key.text, member.value.text)) }
                }
                #expect(parsed.map(\.0) == members.map(\.0))
                #expect(parsed.map(\.1) == members.map(\.1))
            }
        }
    }

    @Test func baggageRoundTrips() {
        var random = FastRandom(seed: 0x6261_6767_6167_6521)
        let tchars = Array("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        for _ in 0..<1000 {
            let count = Int.random(in: 1...20, using: &random)
            var members: [(key: String, value: [UInt8], props: String)] = []
            for index in 0..<count {
                var key = (0..<Int.random(in: 0...12, using: &random)).map { _ in tchars.randomElement(using: &random)! }
                key.append(contentsOf: Array("k\(index)".utf8))  // unique, never session.id
                let value = (0..<Int.random(in: 0...24, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                let props = Int.random(in: 0..<3, using: &random) == 0 ? ";p\(index);q = v\(index)" : ""
                members.append((String(decoding: key, as: UTF8.self), value, props))
            }
            var sink = ByteArraySink()
            for (index, member) in members.enumerated() {
                if index > 0 { sink.append(Int.random(in: 0..<2, using: &random) == 0 ? ", " : ",") }
                Array(member.key.utf8).withUnsafeBytes { key in
                    member.value.withUnsafeBytes { value in
                        #expect(Baggage.appendMember(key: key, value: value, into: &sink))
                    }
                }
                Array(member.props.utf8).withUnsafeBytes { sink.append($0) }
            }
            let header = sink.bytes
            header.withUnsafeBytes { headerBytes in
                var parsed: [(String, [UInt8], String)] = []
                for element in Baggage.Members(headerBytes) {
                    guard case .member(let member) = element else {
                        Issue.record("malformed member in \(String(decoding: header, as: UTF8.self))")
                        return
                    }
                    var decoded = ByteArraySink()
                    #expect(Baggage.percentDecode(member.value, into: &decoded))
                    parsed.append((member.key.text, decoded.bytes, member.properties.isEmpty ? "" : ";" + member.properties.text))
                }
                #expect(parsed.map(\.0) == members.map(\.key))
                #expect(parsed.map(\.1) == members.map(\.value))
                #expect(parsed.map(\.2) == members.map(\.props))
                // Trusted filtering keeps everything, and its output parses the same.
                var filtered = ByteArraySink()
                let result = Baggage.filter(headerBytes, rules: BaggageRules(maxMembers: 64, maxBytes: 1 << 20), trusted: true, into: &filtered)
                #expect(result.kept == count && result.dropped == 0)
                let refiltered = filtered.bytes.withUnsafeBytes { again in
                    var sink = ByteArraySink()
                    _ = Baggage.filter(again, rules: BaggageRules(maxMembers: 64, maxBytes: 1 << 20), trusted: true, into: &sink)
                    return sink.bytes
                }
                #expect(refiltered == filtered.bytes)
            }
        }
    }
}

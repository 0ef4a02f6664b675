// ReferenceModelTests.swift — the one-pass scanners agree with straightforward reference parsers
// on random inputs drawn from the characters that matter to the grammars.

import Testing
import TracegateContext

@Suite struct ReferenceModelTests {
    /// Tracestate per the spec text: split on `,`, trim OWS, skip empties, key `=` value.
    private func referenceTraceState(_ text: [UInt8], grammar: TraceState.KeyGrammar) -> Int? {
        var keys: [[UInt8]] = []
        for segment in text.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            let member = trim(Array(segment))
            if member.isEmpty { continue }
            guard let equals = member.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            let key = Array(member[..<equals])
            let value = Array(member[(equals + 1)...])
            let ok = key.withUnsafeBytes { TraceState.isValidKey($0, grammar: grammar) } && value.withUnsafeBytes { TraceState.isValidValue($0) }
            guard ok, keys.count < 32, !keys.contains(key) else { return nil }
            keys.append(key)
        }
        return keys.count
    }

    /// Baggage per the ABNF: split on `,`, trim, then key/value/properties by splitting on `;` and `=`.
    private func referenceBaggage(_ text: [UInt8]) -> [String?] {
        var out: [String?] = []
        for segment in text.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            let member = trim(Array(segment))
            if member.isEmpty { continue }
            let parts = member.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false).map { Array($0) }
            guard let equals = parts[0].firstIndex(of: UInt8(ascii: "=")) else {
                out.append(nil)
                continue
            }
            let key = trim(Array(parts[0][..<equals]))
            let value = trim(Array(parts[0][(equals + 1)...]))
            var ok = key.withUnsafeBytes { Baggage.isValidKey($0) } && value.withUnsafeBytes { Baggage.isValidValue($0) }
            for property in parts.dropFirst() {
                let p = trim(property)
                if let pe = p.firstIndex(of: UInt8(ascii: "=")) {
                    let pk = trim(Array(p[..<pe]))
                    let pv = trim(Array(p[(pe + 1)...]))
                    ok = ok && pk.withUnsafeBytes { Baggage.isValidKey($0) } && pv.withUnsafeBytes { Baggage.isValidValue($0) }
                } else {
                    ok = ok && p.withUnsafeBytes { Baggage.isValidKey($0) }
                }
            }
            out.append(ok ? String(decoding: key, as: UTF8.self) + "|" + String(decoding: value, as: UTF8.self) : nil)
        }
        return out
    }

    private func trim(_ bytes: [UInt8]) -> [UInt8] {
        var slice = bytes[...]
        while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        return Array(slice)
    }

    @Test func tracestateScannerMatchesTheReference() {
        var random = FastRandom(seed: 31)
        let alphabet = Array("ab1@_-*/=, \t,=aZ.\u{7F}".utf8)
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...14, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            for grammar in [TraceState.KeyGrammar.level1, .level2] {
                let fast = text.withUnsafeBytes { TraceState.memberCount(fields: HeaderFields($0), keyGrammar: grammar) }
                #expect(fast == referenceTraceState(text, grammar: grammar), "\(String(decoding: text, as: UTF8.self)) \(grammar)")
            }
        }
    }

    @Test func baggageScannerMatchesTheReference() {
        var random = FastRandom(seed: 32)
        let alphabet = Array("ab=;,% \t\"\\4fz1=;,".utf8)
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...14, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            let fast: [String?] = text.withUnsafeBytes { bytes in
                Baggage.Members(bytes).map { element in
                    guard case .member(let m) = element else { return nil }
                    return m.key.text + "|" + m.value.text
                }
            }
            #expect(fast == referenceBaggage(text), "\(String(decoding: text, as: UTF8.self))")
        }
    }
}

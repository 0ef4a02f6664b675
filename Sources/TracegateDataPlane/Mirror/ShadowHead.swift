// ShadowHead: the primary's upstream head rewritten for the shadow cluster.
import TracegateContext
import TracegateHTTP

/// Writes the shadow's copy of a request head from the head Tracegate wrote for the primary.
///
/// Why from the primary's upstream head and not from the client's: the edge already decided
/// everything there (sanitised fields, `X-Forwarded-*`, `Via`, correlation and session ids,
/// baggage, `traceparent`), and the shadow must see exactly what the primary saw, minus three
/// changes:
/// - the `traceparent` parent-id becomes the shadow's own CLIENT span (same trace id), so the
///   shadow's server spans hang under the mirrored attempt and not under the primary's;
/// - the `Host` value gets the route's suffix (Envoy's `-shadow`), so staging can route or tell
///   the copy apart by name;
/// - `X-Tracegate-Shadow: 1` is added (and a client's own field of that name dropped, so the
///   marker cannot be forged into two values).
///
/// Pure and allocation-free: one pass over the lines of a complete head, appending to `out`.
enum ShadowHead {
    /// The marker field the shadow receives.
    static let markerName: StaticString = "X-Tracegate-Shadow"

    /// Appends the shadow head for `head` to `out`.
    ///
    /// - Parameters:
    ///   - head: a complete request head as written for the primary (request line, fields, empty
    ///     line), HTTP/1.1 as Tracegate always sends.
    ///   - traceparentOffset: where the 16 hex digits of the parent-id of its `traceparent` sit in
    ///     `head` (-1: none).
    ///   - spanID: the shadow's CLIENT span id, written there.
    ///   - hostSuffix: appended to the `Host` value.
    /// - Returns: false (nothing appended) when `head` is not a complete head.
    @discardableResult
    static func write(_ head: UnsafeRawBufferPointer, traceparentOffset: Int, spanID: SpanID,
                      hostSuffix: UnsafeRawBufferPointer, into out: inout IOBuffer) -> Bool {
        guard let requestLineEnd = lineEnd(head, from: 0) else { return false }
        out.reserve(minimumWritable: head.count + hostSuffix.count + markerName.utf8CodeUnitCount + 8)
        let start = out.readableBytes
        var spanAt = -1
        out.append(UnsafeRawBufferPointer(rebasing: head[0..<requestLineEnd + 2]))
        var line = requestLineEnd + 2
        while true {
            guard let end = lineEnd(head, from: line) else {
                truncate(&out, to: start)
                return false
            }
            if end == line { break }  // the empty line ends the head
            let text = UnsafeRawBufferPointer(rebasing: head[line..<end])
            let colon = text.firstIndex(of: UInt8(ascii: ":")) ?? text.count
            let name = UnsafeRawBufferPointer(rebasing: text[0..<colon])
            if ByteCompare.equalsCaseInsensitive(name, "host") {
                var valueEnd = text.count
                while valueEnd > colon + 1 && (text[valueEnd - 1] == 0x20 || text[valueEnd - 1] == 0x09) { valueEnd -= 1 }
                out.append(UnsafeRawBufferPointer(rebasing: text[0..<valueEnd]))
                out.append(hostSuffix)
                out.append("\r\n")
            } else if !ByteCompare.equalsCaseInsensitive(name, "x-tracegate-shadow") {
                if traceparentOffset >= line && traceparentOffset + SpanID.hexLength <= end {
                    spanAt = out.readableBytes + (traceparentOffset - line)
                }
                out.append(UnsafeRawBufferPointer(rebasing: head[line..<end + 2]))
            }
            line = end + 2
        }
        out.append(markerName)
        out.append(": 1\r\n\r\n")
        if spanAt >= 0, let base = out.readable.baseAddress {
            _ = spanID.writeHex(to: UnsafeMutableRawPointer(mutating: base) + spanAt)
        }
        return true
    }

    /// The index of the CR of the CRLF ending the line that starts at `from`, or nil.
    private static func lineEnd(_ head: UnsafeRawBufferPointer, from: Int) -> Int? {
        var i = from
        while i + 1 < head.count {
            if head[i] == 0x0D && head[i + 1] == 0x0A { return i }  // CR LF
            i += 1
        }
        return nil
    }

    private static func truncate(_ out: inout IOBuffer, to readable: Int) {
        out.moveWriterIndex(by: readable - out.readableBytes)
    }
}

/// Message-body reading shared by the origin fixture (requests) and the raw client
/// (responses): streamed piece by piece to a sink, never accumulated here.
extension SocketReader {
    /// How a body is delimited (RFC 9112 §6.3).
    enum BodyFraming: Equatable {
        case none
        case length(Int)
        case chunked
        /// Read until the peer closes (responses only, RFC 9112 §6.3 rule 8).
        case untilClose
        /// The framing headers are invalid; the message must be rejected.
        case invalid(String)
    }

    /// What reading a body produced.
    enum BodyOutcome: Equatable {
        case complete, truncated, timedOut, invalid(String)
    }

    /// Content-Length rules shared by both sides (RFC 9112 §6.3 rule 5 and §8.6): every
    /// value identical, digits only; `nil` when absent.
    static func contentLength(_ values: [String]) -> BodyFraming? {
        let lengths = Set(values.flatMap { $0.httpListMembers() })
        guard let text = lengths.first else { return nil }
        guard lengths.count == 1, !text.isEmpty, text.count <= 18,
              text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let length = Int(text) else {
            return .invalid("bad content-length \(lengths.sorted())")
        }
        return length == 0 ? BodyFraming.none : .length(length)
    }

    /// Reads the body delimited by `framing`, handing de-chunked pieces to `absorb` and
    /// appending trailer fields to `trailers`.
    mutating func readBody(
        _ framing: BodyFraming,
        deadline: MonotonicDeadline? = nil,
        trailers: inout [(name: String, value: String)],
        _ absorb: (UnsafeRawBufferPointer) -> Void
    ) -> BodyOutcome {
        switch framing {
        case .none:
            return .complete
        case .invalid(let reason):
            return .invalid(reason)
        case .length(let length):
            return readExactly(length, deadline: deadline, absorb)
        case .untilClose:
            while true {
                switch consume(upTo: Int.max, deadline: deadline, absorb) {
                case .data: continue
                case .endOfStream: return .complete
                case .timedOut: return .timedOut
                case .failed: return .truncated
                }
            }
        case .chunked:
            return readChunked(deadline: deadline, trailers: &trailers, absorb)
        }
    }

    private mutating func readExactly(_ length: Int, deadline: MonotonicDeadline?, _ absorb: (UnsafeRawBufferPointer) -> Void) -> BodyOutcome {
        var remaining = length
        while remaining > 0 {
            var consumed = 0
            let fill = consume(upTo: remaining, deadline: deadline) { piece in
                consumed = piece.count
                absorb(piece)
            }
            switch fill {
            case .data: remaining -= consumed
            case .timedOut: return .timedOut
            case .endOfStream, .failed: return .truncated
            }
        }
        return .complete
    }

    /// Chunked transfer coding (RFC 9112 §7.1): hex size, optional extensions after `;`
    /// (ignored), data, CRLF; a zero size ends the data and is followed by trailer fields
    /// (RFC 9112 §7.1.2) and an empty line.
    private mutating func readChunked(
        deadline: MonotonicDeadline?,
        trailers: inout [(name: String, value: String)],
        _ absorb: (UnsafeRawBufferPointer) -> Void
    ) -> BodyOutcome {
        while true {
            guard let line = readLine(maxBytes: 4096, deadline: deadline) else { return lineFailure(deadline) }
            let sizeText = String(decoding: line.prefix { $0 != UInt8(ascii: ";") }, as: UTF8.self).trimmingHTTPWhitespace()
            guard !sizeText.isEmpty, sizeText.count <= 15, sizeText.allSatisfy(\.isHexDigit),
                  let size = Int(sizeText, radix: 16) else {
                return .invalid("bad chunk size line \(String(decoding: line, as: UTF8.self).debugDescription)")
            }
            if size == 0 { break }
            let data = readExactly(size, deadline: deadline, absorb)
            guard data == .complete else { return data }
            guard let end = readLine(maxBytes: 4096, deadline: deadline) else { return lineFailure(deadline) }
            guard end.isEmpty else { return .invalid("chunk data longer than its size \(size)") }
        }
        while true {
            guard let line = readLine(maxBytes: 16 * 1024, deadline: deadline) else { return lineFailure(deadline) }
            if line.isEmpty { return .complete }
            guard let field = HTTPHead(bytes: Array("x\n".utf8) + line), let trailer = field.headers.first else {
                return .invalid("bad trailer line \(String(decoding: line, as: UTF8.self).debugDescription)")
            }
            trailers.append(trailer)
        }
    }

    private func lineFailure(_ deadline: MonotonicDeadline?) -> BodyOutcome {
        if let deadline, deadline.hasExpired { return .timedOut }
        return .truncated
    }
}

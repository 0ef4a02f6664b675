/// One frame from `nghttp -v`'s log.
public struct NghttpFrame: Sendable {
    /// Which way the frame went, seen from nghttp.
    public enum Direction: Sendable, Equatable {
        case sent, received
    }

    public var direction: Direction
    /// The frame type as nghttp names it: "HEADERS", "DATA", "RST_STREAM", "GOAWAY"...
    public var type: String
    /// Payload length (padding included).
    public var length: Int
    /// The flags byte (END_STREAM 0x1, ACK 0x1, END_HEADERS 0x4, PADDED 0x8, PRIORITY 0x20).
    public var flags: Int
    public var streamID: Int
    /// The decoded header fields of a HEADERS frame (the whole block, CONTINUATION included),
    /// pseudo-header fields first, in order.
    public var fields: [(name: String, value: String)]
    /// The indented lines nghttp printed under the frame, trimmed: "; END_STREAM | END_HEADERS",
    /// "(error_code=INTERNAL_ERROR(0x02))", "[SETTINGS_MAX_CONCURRENT_STREAMS(0x03):100]"...
    public var annotations: [String]

    /// END_STREAM on a DATA or HEADERS frame.
    public var endStream: Bool { (type == "DATA" || type == "HEADERS") && flags & 0x1 != 0 }

    /// The ACK flag of SETTINGS and PING.
    public var isAck: Bool { (type == "SETTINGS" || type == "PING") && flags & 0x1 != 0 }

    /// The error code name of RST_STREAM and GOAWAY, e.g. "INTERNAL_ERROR".
    public var errorCode: String? { annotationValue("error_code") }

    /// GOAWAY's last-stream-id.
    public var lastStreamID: Int? { annotationValue("last_stream_id").flatMap { Int($0) } }

    /// A SETTINGS frame's entries by name ("SETTINGS_MAX_CONCURRENT_STREAMS": 100).
    public var settings: [String: Int] {
        var result = [String: Int]()
        for line in annotations where line.hasPrefix("[SETTINGS_") && line.hasSuffix("]") {
            let body = line.dropFirst().dropLast()
            guard let colon = body.lastIndex(of: ":"), let value = Int(body[body.index(after: colon)...]) else { continue }
            let name = body[..<colon].split(separator: "(").first.map(String.init) ?? String(body[..<colon])
            result[name] = value
        }
        return result
    }

    /// The first value of the field `name` (case-insensitive).
    public func field(_ name: String) -> String? { FieldLookup.first(name, in: fields) }

    /// `key=VALUE` from a parenthesised annotation such as "(last_stream_id=0, error_code=NO_ERROR(0x00), ...)",
    /// without a trailing "(0x..)".
    private func annotationValue(_ key: String) -> String? {
        for line in annotations where line.hasPrefix("(") {
            guard let range = line.range(of: key + "=") else { continue }
            let rest = line[range.upperBound...]
            let value = rest.prefix { $0 != "," && $0 != ")" && $0 != "(" }
            return String(value)
        }
        return nil
    }
}

/// What `nghttp -nv` did: every frame sent and received, in order.
public struct NghttpResult: Sendable {
    /// nghttp's exit code. It is 0 even when requests failed: see `allRequestsProcessed`.
    public var exitCode: Int32
    /// Every frame in log order.
    public var frames: [NghttpFrame]
    /// The whole log (stdout).
    public var output: String
    public var stderr: String

    /// Whether every request got its response: nghttp printed neither "[ERROR]" nor "Some
    /// requests were not processed" (reset streams, refused connections, GOAWAY...).
    public var allRequestsProcessed: Bool {
        exitCode == 0 && !output.contains("Some requests were not processed") && !output.contains("[ERROR]")
            && !stderr.contains("Some requests were not processed")
    }

    /// The streams nghttp opened for requests, in order (nghttp first sends PRIORITY frames for
    /// idle streams 3...11, so the first request is usually stream 13).
    public var requestStreamIDs: [Int] {
        frames.filter { $0.direction == .sent && $0.type == "HEADERS" }.map(\.streamID)
    }

    /// Received frames of `type`, on `stream` when given.
    public func received(_ type: String, stream: Int? = nil) -> [NghttpFrame] {
        frames.filter { $0.direction == .received && $0.type == type && (stream == nil || $0.streamID == stream) }
    }

    /// Sent frames of `type`, on `stream` when given.
    public func sent(_ type: String, stream: Int? = nil) -> [NghttpFrame] {
        frames.filter { $0.direction == .sent && $0.type == type && (stream == nil || $0.streamID == stream) }
    }

    /// The received HEADERS blocks of `stream` (default: the first request's), in order:
    /// interim 1xx responses, the final response, then trailers.
    public func headerBlocks(stream: Int? = nil) -> [[(name: String, value: String)]] {
        guard let stream = stream ?? requestStreamIDs.first else { return [] }
        return received("HEADERS", stream: stream).map(\.fields)
    }

    /// The final response's header block (the first one whose :status is not 1xx).
    public func responseHeaders(stream: Int? = nil) -> [(name: String, value: String)] {
        headerBlocks(stream: stream).first { block in
            guard let status = FieldLookup.first(":status", in: block).flatMap({ Int($0) }) else { return false }
            return status >= 200
        } ?? []
    }

    /// The final response's status code.
    public func status(stream: Int? = nil) -> Int? {
        FieldLookup.first(":status", in: responseHeaders(stream: stream)).flatMap { Int($0) }
    }

    /// The trailer section: a received HEADERS block without :status (RFC 9113 §8.1), empty when
    /// none came.
    public func trailers(stream: Int? = nil) -> [(name: String, value: String)] {
        headerBlocks(stream: stream).last { FieldLookup.first(":status", in: $0) == nil } ?? []
    }

    /// The first value of the response header `name` (case-insensitive) on `stream`.
    public func responseHeader(_ name: String, stream: Int? = nil) -> String? {
        FieldLookup.first(name, in: responseHeaders(stream: stream))
    }

    /// The first value of the trailer `name` (case-insensitive) on `stream`.
    public func trailer(_ name: String, stream: Int? = nil) -> String? {
        FieldLookup.first(name, in: trailers(stream: stream))
    }

    /// Payload bytes of the DATA frames received on `stream` (default: the first request's).
    public func receivedDataBytes(stream: Int? = nil) -> Int {
        guard let stream = stream ?? requestStreamIDs.first else { return 0 }
        return received("DATA", stream: stream).reduce(0) { $0 + $1.length }
    }

    /// Whether the response on `stream` ended with END_STREAM (on DATA or trailers).
    public func responseComplete(stream: Int? = nil) -> Bool {
        guard let stream = stream ?? requestStreamIDs.first else { return false }
        return frames.contains { $0.direction == .received && $0.streamID == stream && $0.endStream }
    }

    /// The GOAWAY the server sent, if any.
    public var goaway: NghttpFrame? { received("GOAWAY").first }

    /// The server's first non-ACK SETTINGS entries.
    public var serverSettings: [String: Int] {
        received("SETTINGS").first { !$0.isAck }?.settings ?? [:]
    }

    /// Parses nghttp's `-v` log. Frame lines look like
    /// `[  0.018] recv HEADERS frame <length=78, flags=0x05, stream_id=13>`, followed by indented
    /// annotation lines; received header fields come *before* their frame line as
    /// `[  0.018] recv (stream_id=13) name: value` (nghttp prints them as it decodes them).
    static func parse(exitCode: Int32, output: String, stderr: String) -> NghttpResult {
        var frames = [NghttpFrame]()
        var pendingFields = [Int: [(name: String, value: String)]]()
        var current: NghttpFrame?
        func finish() {
            if let frame = current { frames.append(frame) }
            current = nil
        }
        for rawLine in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine[...]
            if line.first == " " {
                guard current != nil else { continue }
                let text = line.drop { $0 == " " }
                if current?.direction == .sent, current?.type == "HEADERS",
                   let first = text.first, first != ";", first != "(", first != "[",
                   let field = splitField(text) {
                    current?.fields.append(field)
                } else {
                    current?.annotations.append(String(text))
                }
                continue
            }
            finish()
            guard line.first == "[", let close = line.firstIndex(of: "]") else { continue }
            let rest = line[line.index(after: close)...].drop { $0 == " " }
            if rest.hasPrefix("recv (stream_id="), let end = rest.firstIndex(of: ")") {
                let stream = Int(rest[rest.index(rest.startIndex, offsetBy: "recv (stream_id=".count)..<end]) ?? -1
                if let field = splitField(rest[rest.index(after: end)...].drop { $0 == " " }) {
                    pendingFields[stream, default: []].append(field)
                }
            } else if let frame = frameHeader(rest) {
                current = frame
                if frame.direction == .received, frame.type == "HEADERS" || frame.type == "PUSH_PROMISE" {
                    current?.fields = pendingFields.removeValue(forKey: frame.streamID) ?? []
                }
            }
        }
        finish()
        return NghttpResult(exitCode: exitCode, frames: frames, output: output, stderr: stderr)
    }

    /// "send HEADERS frame <length=37, flags=0x25, stream_id=13>"
    private static func frameHeader(_ text: Substring) -> NghttpFrame? {
        let direction: NghttpFrame.Direction
        if text.hasPrefix("send ") {
            direction = .sent
        } else if text.hasPrefix("recv ") {
            direction = .received
        } else {
            return nil
        }
        let words = text.dropFirst(5)
        guard let space = words.firstIndex(of: " "), words[space...].hasPrefix(" frame <"),
              let open = words.firstIndex(of: "<"), let close = words.lastIndex(of: ">") else { return nil }
        var values = [String: Substring]()
        for part in words[words.index(after: open)..<close].split(separator: ",") {
            let pair = part.trimmingPrefix(" ").split(separator: "=", maxSplits: 1)
            if pair.count == 2 { values[String(pair[0])] = pair[1] }
        }
        guard let length = values["length"].flatMap({ Int($0) }),
              let flags = values["flags"].flatMap({ Int($0.dropFirst(2), radix: 16) }),
              let stream = values["stream_id"].flatMap({ Int($0) }) else { return nil }
        return NghttpFrame(direction: direction, type: String(words[..<space]), length: length, flags: flags,
                           streamID: stream, fields: [], annotations: [])
    }

    /// "name: value", where a pseudo-header name starts with ':'.
    private static func splitField(_ text: Substring) -> (name: String, value: String)? {
        guard text.count > 1 else { return nil }
        let searchStart = text.index(after: text.startIndex)
        guard let separator = text[searchStart...].range(of: ": ") else {
            return text.hasSuffix(":") ? (String(text.dropLast()), "") : nil
        }
        return (String(text[..<separator.lowerBound]), String(text[separator.upperBound...]))
    }
}

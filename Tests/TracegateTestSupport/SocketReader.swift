#if canImport(Glibc)
import Glibc
#endif

/// A buffered reader over a blocking socket, shared by the origin fixture and the raw client.
///
/// It keeps bytes that arrive after a message (pipelined requests, a tunnelled stream) for
/// the next read, and bounds its memory: a head may grow the buffer to `maxHeadBytes`,
/// bodies are handed out in pieces of at most the buffer size and never accumulated here.
struct SocketReader {
    /// What a refill produced.
    enum Fill: Equatable {
        case data, endOfStream, timedOut, failed
    }

    /// What `readHead` produced.
    enum Head: Equatable {
        case head([UInt8])
        case endOfStream(partial: [UInt8])
        case tooLarge
        case timedOut
        case failed
    }

    let fd: Int32
    private var storage: [UInt8]
    private var start = 0
    private var end = 0

    init(fd: Int32, capacity: Int = 64 * 1024) {
        self.fd = fd
        storage = [UInt8](repeating: 0, count: capacity)
    }

    /// Number of bytes read from the socket but not consumed yet.
    var bufferedCount: Int { end - start }

    /// Reads more bytes unless some are already buffered. With a deadline, waits at most
    /// until it; without one, blocks (a fixture's `stop()` wakes it with `shutdown`).
    mutating func fill(deadline: MonotonicDeadline? = nil) -> Fill {
        if end > start { return .data }
        start = 0
        end = 0
        return receiveMore(deadline: deadline)
    }

    /// Reads up to the empty line that ends a message head (RFC 9112 §2.1), accepting bare
    /// LF line ends. Leading empty lines are skipped when `skipLeadingEmptyLines` (RFC 9112
    /// §2.2: a server SHOULD ignore at least one empty line before a request-line).
    mutating func readHead(maxBytes: Int, skipLeadingEmptyLines: Bool, deadline: MonotonicDeadline? = nil) -> Head {
        // Offset from `start`, not an index: `receiveMore` may move the bytes to the front.
        var scannedOffset = 0
        while true {
            if skipLeadingEmptyLines {
                while start < end, storage[start] == 13 || storage[start] == 10 {
                    start += 1
                    scannedOffset = max(0, scannedOffset - 1)
                }
            }
            var index = start + scannedOffset
            while index < end {
                if storage[index] == 10, index > start {
                    let previous = storage[index - 1]
                    let endsHead = previous == 10 || (previous == 13 && index - 2 >= start && storage[index - 2] == 10)
                    if endsHead {
                        let head = Array(storage[start...index])
                        start = index + 1
                        return .head(head)
                    }
                }
                index += 1
            }
            scannedOffset = end - start
            if end - start >= maxBytes { return .tooLarge }
            switch receiveMore(deadline: deadline) {
            case .data: continue
            case .endOfStream:
                let partial = Array(storage[start..<end])
                start = end
                return .endOfStream(partial: partial)
            case .timedOut: return .timedOut
            case .failed: return .failed
            }
        }
    }

    /// Reads one line (without its CRLF or LF), for chunk-size lines and trailers.
    mutating func readLine(maxBytes: Int, deadline: MonotonicDeadline? = nil) -> [UInt8]? {
        var scannedOffset = 0
        while true {
            var index = start + scannedOffset
            while index < end {
                if storage[index] == 10 {
                    var lineEnd = index
                    if lineEnd > start, storage[lineEnd - 1] == 13 { lineEnd -= 1 }
                    let line = Array(storage[start..<lineEnd])
                    start = index + 1
                    return line
                }
                index += 1
            }
            scannedOffset = end - start
            if end - start >= maxBytes { return nil }
            guard receiveMore(deadline: deadline) == .data else { return nil }
        }
    }

    /// Hands at most `maximum` buffered (or freshly received) bytes to `body` and consumes them.
    mutating func consume(upTo maximum: Int, deadline: MonotonicDeadline? = nil, _ body: (UnsafeRawBufferPointer) -> Void) -> Fill {
        let fill = fill(deadline: deadline)
        guard fill == .data else { return fill }
        let count = min(maximum, end - start)
        storage.withUnsafeBytes { raw in
            body(UnsafeRawBufferPointer(rebasing: raw[start..<(start + count)]))
        }
        start += count
        return .data
    }

    /// Removes and returns everything buffered.
    mutating func takeBuffered() -> [UInt8] {
        let bytes = Array(storage[start..<end])
        start = 0
        end = 0
        return bytes
    }

    /// Appends received bytes after the buffered ones, compacting or growing the storage.
    private mutating func receiveMore(deadline: MonotonicDeadline?) -> Fill {
        if end == storage.count {
            if start > 0 {
                storage.withUnsafeMutableBytes { raw in
                    let base = raw.baseAddress!
                    memmove(base, base + start, end - start)
                }
                end -= start
                start = 0
            } else {
                storage.append(contentsOf: repeatElement(0, count: storage.count))
            }
        }
        if let deadline, !POSIXSocket.waitReadable(fd, milliseconds: deadline.remainingMilliseconds) {
            return .timedOut
        }
        while true {
            let received = storage.withUnsafeMutableBytes { raw in
                recv(fd, raw.baseAddress! + end, raw.count - end, 0)
            }
            if received > 0 {
                end += received
                return .data
            }
            if received == 0 { return .endOfStream }
            if errno == EINTR { continue }
            return .failed
        }
    }
}

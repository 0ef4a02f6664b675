import Foundation
import Testing

@testable import TracegateTestSupport

/// The buffered reader over a socket pair, with a tiny buffer so that compaction and
/// growth happen in the middle of heads and lines.
@Suite struct SocketReaderTests {
    private func pair() throws -> (reader: Int32, writer: Int32) {
        var fds: [Int32] = [-1, -1]
        let result = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds)
        try #require(result == 0)
        return (fds[0], fds[1])
    }

    @Test func linesSurviveCompaction() throws {
        let (readFD, writeFD) = try pair()
        defer { close(readFD); close(writeFD) }
        var reader = SocketReader(fd: readFD, capacity: 8)
        #expect(POSIXSocket.sendAll(writeFD, Array("abcdef\r\n".utf8)))
        #expect(reader.readLine(maxBytes: 100) == Array("abcdef".utf8))
        #expect(POSIXSocket.sendAll(writeFD, Array("12345".utf8)))
        #expect(reader.fill() == .data)
        // "12345" is buffered at the front; the rest arrives later and forces a compaction.
        var first = [UInt8]()
        _ = reader.consume(upTo: 3) { first.append(contentsOf: $0) }
        #expect(first == Array("123".utf8))
        let writer = try NativeThread.spawn { _ = POSIXSocket.sendAll(writeFD, Array("6789\nrest\n".utf8)) }
        #expect(reader.readLine(maxBytes: 100) == Array("456789".utf8))
        #expect(reader.readLine(maxBytes: 100) == Array("rest".utf8))
        writer.join()
    }

    @Test func headsGrowTheBufferAndSkipLeadingEmptyLines() throws {
        let (readFD, writeFD) = try pair()
        defer { close(readFD); close(writeFD) }
        var reader = SocketReader(fd: readFD, capacity: 8)
        let text = "\r\n\r\nGET /long/path HTTP/1.1\r\nHost: example\r\n\r\nnext"
        let writer = try NativeThread.spawn {
            for byte in Array(text.utf8) { _ = POSIXSocket.sendAll(writeFD, [byte]) }
        }
        let head = reader.readHead(maxBytes: 1024, skipLeadingEmptyLines: true)
        writer.join()
        #expect(head == .head(Array("GET /long/path HTTP/1.1\r\nHost: example\r\n\r\n".utf8)))
        // Bytes after the head stay for the next read (they may still be in the socket).
        var rest = reader.takeBuffered()
        while rest.count < 4, reader.fill() == .data { rest += reader.takeBuffered() }
        #expect(rest == Array("next".utf8))
    }

    @Test func bareLineFeedsEndAHead() throws {
        let (readFD, writeFD) = try pair()
        defer { close(readFD); close(writeFD) }
        var reader = SocketReader(fd: readFD)
        #expect(POSIXSocket.sendAll(writeFD, Array("GET / HTTP/1.1\nA: b\n\nX".utf8)))
        #expect(reader.readHead(maxBytes: 1024, skipLeadingEmptyLines: false) == .head(Array("GET / HTTP/1.1\nA: b\n\n".utf8)))
    }

    @Test func lineLimit() throws {
        let (readFD, writeFD) = try pair()
        defer { close(readFD); close(writeFD) }
        var reader = SocketReader(fd: readFD, capacity: 8)
        #expect(POSIXSocket.sendAll(writeFD, Array("no end of line here".utf8)))
        #expect(reader.readLine(maxBytes: 10) == nil)
    }

    @Test func timeoutThenEndOfStream() throws {
        let (readFD, writeFD) = try pair()
        defer { close(readFD) }
        var reader = SocketReader(fd: readFD)
        #expect(reader.readHead(maxBytes: 100, skipLeadingEmptyLines: false, deadline: MonotonicDeadline(after: .milliseconds(50))) == .timedOut)
        #expect(POSIXSocket.sendAll(writeFD, Array("HTTP/1.1 2".utf8)))
        close(writeFD)
        #expect(reader.readHead(maxBytes: 100, skipLeadingEmptyLines: false) == .endOfStream(partial: Array("HTTP/1.1 2".utf8)))
        #expect(reader.readHead(maxBytes: 100, skipLeadingEmptyLines: false) == .endOfStream(partial: []))
    }
}

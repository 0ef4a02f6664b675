import Testing
import TracegateTLS

#if canImport(Glibc)
import Glibc
#endif

/// Reads and writes on non-blocking sockets: partial writes, record-sized reads, and how a
/// stream ends.
@Suite struct IOTests {
    let fixtures: TLSFixtures

    init() throws {
        fixtures = try TLSFixtures()
    }

    private func connectedPair() throws -> TLSPair {
        let pair = try TLSPair(server: try fixtures.serverContext(), client: try fixtures.clientContext())
        let outcome = pair.handshake()
        #expect(outcome.bothDone, "server: \(outcome.server), client: \(outcome.client)")
        return pair
    }

    @Test func oneMebibyteWriteAgainstASlowReader() throws {
        let pair = try connectedPair()
        // Socket buffers of a few records. (Below one record, OpenSSL 3.0 never reports a
        // partial count: each call finishes the pending record, starts the next one and blocks
        // again, so every call but the last returns .wantWrite. See TLSConnection.write.)
        var buffer: Int32 = 64 * 1024
        setsockopt(pair.serverFD, SOL_SOCKET, SO_SNDBUF, &buffer, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(pair.clientFD, SOL_SOCKET, SO_RCVBUF, &buffer, socklen_t(MemoryLayout<Int32>.size))

        let size = 1 << 20
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        // The same bytes at a second address: after .wantWrite the retry passes the other copy,
        // which SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER must allow.
        let copy = payload.map { $0 }
        var useCopy = false
        var written = 0
        var partialWrites = 0
        var blockedWrites = 0
        var received: [UInt8] = []
        received.reserveCapacity(size)
        var chunk = [UInt8](repeating: 0, count: 1000)
        var rounds = 0
        while received.count < size {
            rounds += 1
            try #require(rounds < 100_000, "stalled at \(written) written, \(received.count) received")
            if written < size {
                let source = useCopy ? copy : payload
                let result = source.withUnsafeBytes {
                    pair.server.write(UnsafeRawBufferPointer(rebasing: $0[written...]))
                }
                switch result {
                case .bytes(let count):
                    if count < size - written { partialWrites += 1 }
                    written += count
                case .wantWrite:
                    blockedWrites += 1
                    useCopy.toggle()
                case let other:
                    Issue.record("write: \(other)")
                    return
                }
            }
            // The slow reader: at most 1000 bytes per round.
            switch chunk.withUnsafeMutableBytes({ pair.client.read(into: $0) }) {
            case .bytes(let count): received += chunk[0..<count]
            case .wantRead: break
            case let other:
                Issue.record("read: \(other)")
                return
            }
        }
        #expect(written == size)
        #expect(partialWrites > 0)
        #expect(blockedWrites > 0)
        #expect(received == payload)
    }

    @Test func aShortReadDoesNotMeanTheSocketIsDrained() throws {
        let pair = try connectedPair()
        let record = [UInt8](repeating: 0x61, count: 100)
        for _ in 0..<3 {
            guard case .bytes(100) = record.withUnsafeBytes({ pair.server.write($0) }) else {
                Issue.record("write failed")
                return
            }
        }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        // One record per read: 100 of the 300 bytes, although the buffer has room for all.
        guard case .bytes(let first) = buffer.withUnsafeMutableBytes({ pair.client.read(into: $0) }) else {
            Issue.record("first read returned no data")
            return
        }
        #expect(first == 100)
        let (rest, last) = pair.drain(pair.client)
        #expect(rest.count == 200)
        guard case .wantRead = last else {
            Issue.record("expected .wantRead after draining, got \(last)")
            return
        }
    }

    @Test func pendingBytesCountsDecryptedButUnreadData() throws {
        let pair = try connectedPair()
        let bytes = Array("0123456789".utf8)
        guard case .bytes(10) = bytes.withUnsafeBytes({ pair.server.write($0) }) else {
            Issue.record("write failed")
            return
        }
        #expect(pair.client.pendingBytes == 0)
        var small = [UInt8](repeating: 0, count: 4)
        guard case .bytes(4) = small.withUnsafeMutableBytes({ pair.client.read(into: $0) }) else {
            Issue.record("read failed")
            return
        }
        #expect(pair.client.pendingBytes == 6)
        let (rest, _) = pair.drain(pair.client)
        #expect(small + rest == bytes)
        #expect(pair.client.pendingBytes == 0)
    }

    @Test func closeNotifyEndsTheStreamCleanly() throws {
        let pair = try connectedPair()
        let bytes = Array("last words".utf8)
        #expect(try pair.transfer(bytes, from: pair.server, to: pair.client) == bytes)
        pair.server.shutdown()
        let (rest, last) = pair.drain(pair.client)
        #expect(rest.isEmpty)
        guard case .closed(clean: true) = last else {
            Issue.record("expected a clean close, got \(last)")
            return
        }
    }

    @Test func eofWithoutCloseNotifyIsFlaggedAsTruncated() throws {
        let pair = try connectedPair()
        let bytes = Array("partial".utf8)
        guard case .bytes(7) = bytes.withUnsafeBytes({ pair.server.write($0) }) else {
            Issue.record("write failed")
            return
        }
        pair.closeServerSocketWithoutNotify()
        let (received, last) = pair.drain(pair.client)
        #expect(received == bytes)
        guard case .closed(clean: false) = last else {
            Issue.record("expected an unclean close, got \(last)")
            return
        }
    }

    @Test func peerVanishingDuringTheHandshakeFails() throws {
        let pair = try TLSPair(server: try fixtures.serverContext(), client: try fixtures.clientContext())
        guard case .wantRead = pair.client.handshake() else {
            Issue.record("the client's first step should wait for the ServerHello")
            return
        }
        pair.closeServerSocketWithoutNotify()
        guard case .failed(let error) = pair.client.handshake() else {
            Issue.record("the handshake should fail")
            return
        }
        #expect(error.operation.hasPrefix("TLS handshake"), "\(error)")
    }

    @Test func shutdownBeforeTheHandshakeIsHarmless() throws {
        let pair = try TLSPair(server: try fixtures.serverContext(), client: try fixtures.clientContext())
        pair.server.shutdown()
        pair.client.shutdown()
        #expect(pair.handshake().bothDone)
    }

    @Test func emptyWriteIsANoOp() throws {
        let pair = try connectedPair()
        guard case .bytes(0) = pair.client.write(UnsafeRawBufferPointer(start: nil, count: 0)) else {
            Issue.record("an empty write should report 0 bytes")
            return
        }
    }
}

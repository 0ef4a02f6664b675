import TracegateTLS

@testable import TracegateTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A tiny blocking HTTPS server on 127.0.0.1 for real clients (curl, openssl s_client): one
/// thread accepts connections one at a time, handshakes on the blocking socket, reads a
/// request head, answers "HTTP/1.1 200 OK" with body "hello", and records what it saw.
final class BlockingTLSServer: @unchecked Sendable {
    /// What one connection looked like from the server side.
    struct Record: Sendable {
        var handshakeError: String?
        var negotiatedProtocol: ALPNProtocol?
        var protocolVersion: TLSVersion?
        var serverName: String?
        var sessionReused = false
        var request = ""
    }

    let port: Int
    private let listenFD: Int32
    private let records = Monitor([Record]())
    private var thread: NativeThread?

    init(context: TLSServerContext) throws {
        (listenFD, port) = try POSIXSocket.listen()
        let fd = listenFD
        let records = records
        thread = try NativeThread.spawn {
            while true {
                let connection = Glibc.accept(fd, nil, nil)
                if connection < 0 {
                    if errno == EINTR { continue }
                    return  // shut down by stop()
                }
                let record = Self.serve(connection, context: context)
                close(connection)
                records.update { $0.append(record) }
            }
        }
    }

    deinit {
        stop()
    }

    /// Waits until `count` connections finished (or 20 s passed) and returns their records.
    func waitForRecords(_ count: Int) -> [Record] {
        records.wait(timeout: .seconds(20)) { $0.count >= count ? $0 : nil } ?? records.read { $0 }
    }

    /// Stops accepting and joins the thread. Idempotent.
    func stop() {
        guard let thread else { return }
        self.thread = nil
        Glibc.shutdown(listenFD, Int32(SHUT_RDWR))  // wakes the blocked accept
        thread.join()
        close(listenFD)
    }

    private static func serve(_ fd: Int32, context: TLSServerContext) -> Record {
        var record = Record()
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let tls = TLSConnection.accept(fd: fd, context: context) else {
            record.handshakeError = "accept returned nil"
            return record
        }
        defer { tls.free() }
        // On a blocking socket the handshake runs to completion in one call; a want* result
        // means the 10 s socket timeout expired.
        switch tls.handshake() {
        case .done: break
        case .wantRead, .wantWrite:
            record.handshakeError = "timed out"
            return record
        case .failed(let error):
            record.handshakeError = error.description
            return record
        }
        record.negotiatedProtocol = tls.negotiatedProtocol
        record.protocolVersion = tls.protocolVersion
        record.serverName = tls.serverName
        record.sessionReused = tls.sessionReused

        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        reading: while !request.containsHeadEnd {
            switch buffer.withUnsafeMutableBytes({ tls.read(into: $0) }) {
            case .bytes(let count): request += buffer[0..<count]
            default: break reading
            }
        }
        record.request = String(decoding: request, as: UTF8.self)
        if request.containsHeadEnd {
            let response = Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello".utf8)
            var offset = 0
            writing: while offset < response.count {
                switch response.withUnsafeBytes({ tls.write(UnsafeRawBufferPointer(rebasing: $0[offset...])) }) {
                case .bytes(let count): offset += count
                default: break writing
                }
            }
        }
        tls.shutdown()
        return record
    }
}

extension [UInt8] {
    fileprivate var containsHeadEnd: Bool {
        count >= 4
            && indices.dropLast(3).contains {
                self[$0] == 13 && self[$0 + 1] == 10 && self[$0 + 2] == 13 && self[$0 + 3] == 10
            }
    }
}

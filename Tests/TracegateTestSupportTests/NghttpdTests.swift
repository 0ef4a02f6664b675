import Foundation
import Testing

@testable import TracegateTestSupport

/// The nghttpd wrapper on both transports, with the clients the integration tests use.
@Suite struct NghttpdTests {
    @Test func servesTheDocumentRootOverTLSWithALPNh2() throws {
        let certificate = try TestCertificate.selfSigned()
        let server = try Nghttpd.start(tls: certificate, maxConcurrentStreams: 8)
        defer { server.stop() }
        try server.documentRoot.write("data.txt", "tls payload\n")
        let result = try H2Client.curl(url: server.url("/data.txt"), caCertificate: certificate.certificatePath)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.writeOut == "2")
        #expect(result.bodyText == "tls payload\n")
        let frames = try H2Client.nghttp(url: server.url("/index.html"))
        #expect(frames.allRequestsProcessed)
        #expect(frames.serverSettings["SETTINGS_MAX_CONCURRENT_STREAMS"] == 8)
        #expect(frames.status() == 200)
        #expect(frames.receivedDataBytes() == "hello from nghttpd\n".utf8.count)
        let load = try H2Client.h2load(url: server.url("/index.html"), requests: 50, clients: 1, streams: 8)
        #expect(load.applicationProtocol == "h2")
        #expect(load.succeeded == 50)
        #expect(server.isRunning)
        #expect(server.output.contains("recv HEADERS frame"))
    }
}

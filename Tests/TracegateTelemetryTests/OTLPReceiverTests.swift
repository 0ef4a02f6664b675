import Foundation
import Testing
import TracegateTestSupport

/// The receiver fixture itself: start-up, clean stop, and a missing Python module as a failure.
@Suite struct OTLPReceiverTests {
    @Test func startsAndStopsCleanlyEvenWithAHungRequest() throws {
        let receiver = try OTLPReceiver.start(mode: .hang)
        #expect(receiver.port > 0)
        #expect(receiver.endpoint == "http://127.0.0.1:\(receiver.port)/v1/traces")
        let client = try RawHTTPClient.connect(port: receiver.port)
        client.send(
            "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n"
        )
        #expect(receiver.waitForRequests(count: 1))
        #expect(try receiver.spans().isEmpty)
        #expect(receiver.stop() == 0)
        #expect(receiver.stop() == 0)
    }

    @Test func rejectsUndecodableBodies() throws {
        let receiver = try OTLPReceiver.start()
        defer { receiver.stop() }
        let client = try RawHTTPClient.connect(port: receiver.port)
        client.send(
            "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: 3\r\n\r\n\u{FF}\u{FF}\u{FF}"
        )
        let response = try #require(client.readResponse())
        #expect(response.status == 400)
    }

    @Test func missingPythonModuleIsAFailureNotASkip() throws {
        // -S hides site-packages, where pip put opentelemetry-proto.
        do {
            let receiver = try OTLPReceiver.start(pythonOptions: ["-S"])
            receiver.stop()
            Issue.record("started without site-packages")
        } catch {
            guard case .pythonModuleMissing(let module, let package) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(module == "opentelemetry.proto")
            #expect(package == "opentelemetry-proto")
            #expect(error.description.contains("scripts/test.sh"))
        }
    }
}

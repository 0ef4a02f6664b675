import TracegateTLS
import TracegateTestSupport

/// A CA with one server certificate (DNS:localhost, IP:127.0.0.1), and contexts built on it.
struct TLSFixtures {
    let ca: TestCertificateAuthority
    let server: IssuedCertificate

    init() throws {
        ca = try TestCertificateAuthority()
        server = try ca.issueServerCertificate()
    }

    func serverContext(
        alpn: [ALPNProtocol] = [.h2, .http11],
        minimumVersion: TLSVersion = .tls12,
        maximumVersion: TLSVersion? = nil,
        sessionTickets: Bool = true,
        sniCertificates: [SNICertificate] = [],
        clientCertificateCAFile: String? = nil
    ) throws(TLSError) -> TLSServerContext {
        try TLSServerContext(
            certificateChainFile: server.certificateFile,
            privateKeyFile: server.privateKeyFile,
            alpn: alpn,
            minimumVersion: minimumVersion,
            maximumVersion: maximumVersion,
            sessionTickets: sessionTickets,
            sniCertificates: sniCertificates,
            clientCertificateCAFile: clientCertificateCAFile
        )
    }

    func clientContext(
        alpn: [ALPNProtocol] = [.h2, .http11],
        verifyPeer: Bool = true,
        minimumVersion: TLSVersion = .tls12,
        maximumVersion: TLSVersion? = nil,
        certificate: IssuedCertificate? = nil
    ) throws(TLSError) -> TLSClientContext {
        try TLSClientContext(
            caFile: ca.certificateFile,
            verifyPeer: verifyPeer,
            clientCertificateChainFile: certificate?.certificateFile,
            clientPrivateKeyFile: certificate?.privateKeyFile,
            alpn: alpn,
            minimumVersion: minimumVersion,
            maximumVersion: maximumVersion
        )
    }
}

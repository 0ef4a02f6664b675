import CTracegateOpenSSL

#if canImport(Glibc)
import Glibc
#endif

/// A TLS failure: what the proxy was doing, plus the OpenSSL error queue at that moment.
///
/// Creating a `TLSError` drains the calling thread's OpenSSL error queue. That matters beyond
/// the message: OpenSSL's queue is per thread, and `SSL_get_error` consults it, so an entry
/// left behind by one connection would turn the next connection's harmless `WANT_READ` on the
/// same worker thread into a spurious failure (SSL_get_error(3), "NOTES").
public struct TLSError: Error, CustomStringConvertible, Sendable {
    /// What failed, e.g. "cannot read private key file /etc/tracegate/key.pem: No such file
    /// or directory" or "TLS handshake: peer certificate verification failed: ...".
    public var operation: String
    /// The OpenSSL error queue entries, oldest first, as `ERR_error_string_n` renders them,
    /// with OpenSSL's additional data (such as a file name) appended in parentheses.
    public var openSSLErrors: [String]

    /// Records `operation` and drains the thread's OpenSSL error queue into the error.
    public init(_ operation: String) {
        self.operation = operation
        self.openSSLErrors = TLSError.drainErrorQueue()
    }

    public var description: String {
        openSSLErrors.isEmpty ? operation : operation + ": " + openSSLErrors.joined(separator: "; ")
    }

    /// Pops every entry of the thread's OpenSSL error queue and renders it.
    static func drainErrorQueue() -> [String] {
        var entries: [String] = []
        while true {
            var data: UnsafePointer<CChar>?
            var flags: Int32 = 0
            let code = ERR_get_error_all(nil, nil, nil, &data, &flags)
            if code == 0 { break }
            var text = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
                ERR_error_string_n(code, buffer.baseAddress, buffer.count)
                return String(cString: buffer.baseAddress!)
            }
            if let data, flags & ERR_TXT_STRING != 0, data.pointee != 0 {
                text += " (" + String(cString: data) + ")"
            }
            entries.append(text)
        }
        return entries
    }

    /// `strerror` text for a C error number.
    static func describe(errno code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}

// PeerAddress+Text: the address as a String, for the control side (spans, debug pages).
import TracegateHTTP

extension PeerAddress {
    /// "203.0.113.7" or "2001:db8::1" (RFC 5952 form). Allocates: control side only.
    public var host: String {
        var buffer = IOBuffer()
        defer { buffer.release() }
        write(into: &buffer)
        return String(decoding: buffer.readable, as: UTF8.self)
    }

    /// "203.0.113.7:8080" or "[2001:db8::1]:8080".
    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

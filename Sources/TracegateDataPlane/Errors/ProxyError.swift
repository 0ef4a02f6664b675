// ProxyError: every way an exchange can fail, classified once.
import TracegateHTTP
import TracegateResilience

/// Why an exchange failed, and whether another attempt could help.
///
/// A struct wrapping a private-ish enum (the swift-nio form) so cases can be added without breaking
/// callers that switch on `kind`. The single mapping to a status code and a stable error code is
/// `ErrorResponder`; nothing else invents status codes.
struct ProxyError: Error, Equatable {
    enum Kind: Equatable {
        /// The request head or body was malformed or over a limit (status from the parser).
        case badRequest(HTTPParseError)
        case noRoute
        case bodyTooLarge
        case headerReadTimeout
        case upstreamConnectFailed
        case upstreamConnectTimeout
        case upstreamReset
        case upstreamTimeout
        case upstreamMalformedResponse
        case upstreamPoolExhausted
        case tooManyConnections
        case draining
        /// An HTTP/2 request that breaks RFC 9113 §8 (400), or uses CONNECT, which Tracegate does
        /// not tunnel over HTTP/2 (501): the status the translation chose.
        case h2MalformedRequest(status: Int)
        /// An HTTP/2 request whose header list is over `limits.http2.max_header_list_size` (431).
        case h2HeaderListTooLarge
        /// An HTTP/2 upstream refused or reset the stream, or went away before answering.
        case upstreamStreamReset
        /// A cluster concurrency threshold (`circuit_breakers.max_*`) is full: answered at once
        /// with 503 and `x-tracegate-overloaded` naming the threshold, as Envoy's overflow does.
        case upstreamOverloaded(ConcurrencyResource)
        /// Every endpoint of the cluster has an open failure-rate breaker (or ran out of probes).
        case upstreamCircuitOpen
        /// The request waited in the cluster's pending queue for a connection longer than its
        /// attempt timeout.
        case upstreamPendingTimeout
        /// A fault injected on purpose (`routes[].fault.abort` or `x-tracegate-fault-abort`): the
        /// status asked for, answered without contacting the upstream.
        case faultAbort(status: UInt16)
        /// An authorised caller sent a fault header Tracegate cannot read (400).
        case faultHeaderInvalid(FaultHeaderProblem)
    }

    var kind: Kind

    /// Whether the same request may be tried again on a fresh upstream connection.
    var retryable: Bool {
        switch kind {
        case .upstreamConnectFailed, .upstreamReset, .upstreamStreamReset: true
        default: false
        }
    }
}

// ErrorResponder: the one place that turns a ProxyError into a status code and a JSON body.
import TracegateHTTP
import TracegateResilience

/// Maps a `ProxyError` to its status, stable error code and human message, and writes the whole
/// response into a buffer. Every error Tracegate itself answers goes through here, so clients,
/// logs and metrics see the same code.
enum ErrorResponder {
    struct Mapping {
        var status: Int
        var reason: StaticString
        var code: StaticString
        var message: StaticString
    }

    static func mapping(for error: ProxyError) -> Mapping {
        switch error.kind {
        case .badRequest(let e):
            switch e.status {
            case 414: return Mapping(status: 414, reason: "URI Too Long", code: e.code, message: "request target longer than limits.max_uri_length")
            case 431: return Mapping(status: 431, reason: "Request Header Fields Too Large", code: e.code, message: "request head over limits.max_header_bytes or limits.max_header_count")
            case 505: return Mapping(status: 505, reason: "HTTP Version Not Supported", code: e.code, message: "only HTTP/1.0 and HTTP/1.1 are accepted on this connection")
            case 501: return Mapping(status: 501, reason: "Not Implemented", code: e.code, message: "unsupported transfer coding")
            default: return Mapping(status: 400, reason: "Bad Request", code: e.code, message: "malformed request")
            }
        case .noRoute: return Mapping(status: 404, reason: "Not Found", code: "no_route", message: "no route matches this host and path")
        case .bodyTooLarge: return Mapping(status: 413, reason: "Content Too Large", code: "body_too_large", message: "request body over limits.max_request_body_bytes")
        case .headerReadTimeout: return Mapping(status: 408, reason: "Request Timeout", code: "header_read_timeout", message: "request head not received within timeouts.header_read")
        case .upstreamConnectFailed: return Mapping(status: 502, reason: "Bad Gateway", code: "upstream_connect_failed", message: "could not connect to the upstream")
        case .upstreamConnectTimeout: return Mapping(status: 504, reason: "Gateway Timeout", code: "upstream_connect_timeout", message: "upstream connect timed out")
        case .upstreamReset: return Mapping(status: 502, reason: "Bad Gateway", code: "upstream_reset", message: "upstream closed the connection before the response head")
        case .upstreamTimeout: return Mapping(status: 504, reason: "Gateway Timeout", code: "upstream_timeout", message: "upstream did not answer in time")
        case .upstreamMalformedResponse: return Mapping(status: 502, reason: "Bad Gateway", code: "upstream_malformed_response", message: "upstream sent a malformed response")
        case .upstreamPoolExhausted: return Mapping(status: 503, reason: "Service Unavailable", code: "upstream_pool_exhausted", message: "upstream connection limit reached")
        case .tooManyConnections: return Mapping(status: 503, reason: "Service Unavailable", code: "too_many_connections", message: "connection limit reached")
        case .draining: return Mapping(status: 503, reason: "Service Unavailable", code: "draining", message: "shutting down")
        case .h2MalformedRequest(let status) where status == 501:
            return Mapping(status: 501, reason: "Not Implemented", code: "h2_connect_unsupported", message: "CONNECT over HTTP/2 is not supported")
        case .h2MalformedRequest:
            return Mapping(status: 400, reason: "Bad Request", code: "h2_malformed_request", message: "HTTP/2 request breaks RFC 9113 section 8 (pseudo-headers, connection-specific fields or content-length)")
        case .h2HeaderListTooLarge:
            return Mapping(status: 431, reason: "Request Header Fields Too Large", code: "h2_header_list_too_large", message: "HTTP/2 header list over limits.http2.max_header_list_size")
        case .upstreamStreamReset: return Mapping(status: 502, reason: "Bad Gateway", code: "upstream_stream_reset", message: "upstream reset the HTTP/2 stream before the response head")
        case .upstreamOverloaded: return Mapping(status: 503, reason: "Service Unavailable", code: "upstream_overloaded", message: "a circuit_breakers threshold of the cluster is full (see x-tracegate-overloaded)")
        case .upstreamCircuitOpen: return Mapping(status: 503, reason: "Service Unavailable", code: "upstream_circuit_open", message: "every endpoint of the cluster has an open circuit breaker")
        case .upstreamPendingTimeout: return Mapping(status: 503, reason: "Service Unavailable", code: "upstream_pending_timeout", message: "no upstream connection became free within the attempt timeout")
        case .faultAbort(let status):
            // The reason phrase carries no meaning in HTTP/1.1 (RFC 9112 §4); this one says what happened.
            return Mapping(status: Int(status), reason: "Fault Injected", code: "fault_abort", message: "fault injected on purpose (routes[].fault.abort or x-tracegate-fault-abort); the upstream was not contacted")
        case .faultHeaderInvalid(.delay):
            return Mapping(status: 400, reason: "Bad Request", code: "fault_header_invalid", message: "x-tracegate-fault-delay-ms must be 0 to 60000 (milliseconds, decimal digits)")
        case .faultHeaderInvalid(.abort):
            return Mapping(status: 400, reason: "Bad Request", code: "fault_header_invalid", message: "x-tracegate-fault-abort must be a status code in 200...599")
        }
    }

    /// Writes a complete JSON error response: status line, headers, body. `correlationID` is echoed
    /// in `X-Correlation-ID` and in the body (empty when the request never got that far). A
    /// non-empty `fault` (the request's injected faults) adds `x-tracegate-fault`, so a rehearsal's
    /// answer can never be mistaken for an outage's. A 204 or 304 abort gets neither body nor
    /// Content-Length (RFC 9110 §15.3.5, §15.4.5).
    static func write(
        _ error: ProxyError, correlationHeader: UnsafeRawBufferPointer, correlationID: UnsafeRawBufferPointer,
        headOnly: Bool, close: Bool, fault: StaticString = "", into out: inout IOBuffer
    ) -> Int {
        let m = mapping(for: error)
        out.append("HTTP/1.1 ")
        out.appendDecimal(m.status)
        out.append(byte: 0x20)
        out.append(m.reason)
        out.append("\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n")
        if correlationID.count > 0 && correlationHeader.count > 0 {
            HeadWriter.appendHeader(name: correlationHeader, value: correlationID, into: &out)
        }
        if close { out.append("Connection: close\r\n") }
        if case .upstreamOverloaded(let resource) = error.kind {
            out.append("x-tracegate-overloaded: ")
            out.append(overloadedValue(resource))
            out.append("\r\n")
        }
        if fault.utf8CodeUnitCount > 0 {
            out.append("x-tracegate-fault: ")
            out.append(fault)
            out.append("\r\n")
        }
        if m.status == 204 || m.status == 304 {
            out.append("\r\n")
            return m.status
        }
        // {"error":"<code>","status":<n>,"message":"<msg>","correlation_id":"<id>"}\n
        let length = 10 + m.code.utf8CodeUnitCount + 11 + decimalDigits(m.status) + 12
            + m.message.utf8CodeUnitCount + 20 + correlationID.count + 3
        out.append("Content-Length: ")
        out.appendDecimal(length)
        out.append("\r\n\r\n")
        if !headOnly {
            out.append("{\"error\":\"")
            out.append(m.code)
            out.append("\",\"status\":")
            out.appendDecimal(m.status)
            out.append(",\"message\":\"")
            out.append(m.message)
            out.append("\",\"correlation_id\":\"")
            out.append(correlationID)
            out.append("\"}\n")
        }
        return m.status
    }

    /// The `x-tracegate-overloaded` value: the threshold's config key, so an operator greps the
    /// config for what the client saw.
    static func overloadedValue(_ resource: ConcurrencyResource) -> StaticString {
        switch resource {
        case .connections: "max_connections"
        case .pendingRequests: "max_pending_requests"
        case .requests: "max_requests"
        case .retries: "max_retries"
        }
    }

    private static func decimalDigits(_ v: Int) -> Int { v >= 100 ? 3 : (v >= 10 ? 2 : 1) }
}

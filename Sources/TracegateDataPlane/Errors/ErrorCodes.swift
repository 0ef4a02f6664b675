// ErrorCodes: the stable error codes Tracegate answers with, as counter indices.
import TracegateHTTP

/// Every `error` code a Tracegate-generated response can carry, in a fixed order, so each worker
/// counts errors by code in a plain array and `/metrics` labels them with the same code the client
/// saw in the JSON body.
public enum ErrorCodes {
    public static let all: [String] = {
        let proxy: [ProxyError.Kind] = [
            .noRoute, .bodyTooLarge, .headerReadTimeout, .upstreamConnectFailed, .upstreamConnectTimeout,
            .upstreamReset, .upstreamTimeout, .upstreamMalformedResponse, .upstreamPoolExhausted,
            .tooManyConnections, .draining, .h2MalformedRequest(status: 400), .h2MalformedRequest(status: 501),
            .h2HeaderListTooLarge, .upstreamStreamReset, .upstreamOverloaded(.requests), .upstreamCircuitOpen,
            .upstreamPendingTimeout, .faultAbort(status: 503), .faultHeaderInvalid(.delay),
        ]
        let parse = HTTPParseError.Kind.allCases.map { ProxyError.Kind.badRequest(HTTPParseError($0)) }
        var seen = Set<String>()
        return (proxy + parse).map { ErrorResponder.mapping(for: ProxyError(kind: $0)).code.description }
            .filter { seen.insert($0).inserted }
    }()

    /// The index of a code in `all` (errors are a rare path: a linear scan is fine).
    static func index(of code: StaticString) -> Int? {
        let text = code.description
        return all.firstIndex(of: text)
    }
}

// Worker+Routing: host and path-prefix matching on the parsed head's bytes.
import TracegateConfig
import TracegateHTTP

extension Worker {
    /// First route whose host and path prefix match, or nil. Works on the head's bytes in place
    /// (views from `hostAndPath`): host compared case-insensitively without its port, path prefix
    /// compared byte-wise.
    func matchRoute(host: UnsafeRawBufferPointer, path: UnsafeRawBufferPointer) -> Int? {
        // Fields are read in place: binding `routes[i]` would copy the struct (and retain its String
        // and array) for every route tried, on every request.
        return snapshot.routes.withUnsafeBufferPointer { routes in
            for i in routes.indices where routes[i].host.matches(host: host)
                && TargetMatch.hasPrefix(path, routes[i].pathPrefix) {
                return i
            }
            return nil
        }
    }

    /// The Host value (port included; `HostMatch` ignores it) and the path of the request target, as views into `buffer`.
    /// Absolute-form targets (`http://host/path`) take precedence over Host, per RFC 9112 §3.2.2.
    func hostAndPath(_ buffer: UnsafeRawBufferPointer) -> (UnsafeRawBufferPointer, UnsafeRawBufferPointer) {
        let target = UnsafeRawBufferPointer(rebasing: buffer[requestHead.target.start..<requestHead.target.end])
        var host = UnsafeRawBufferPointer(start: nil, count: 0)
        var path = target
        if let scheme = TargetMatch.schemeLength(target) {
            var i = scheme
            while i < target.count && target[i] != 0x2F && target[i] != 0x3F { i += 1 }
            host = UnsafeRawBufferPointer(rebasing: target[scheme..<i])
            // An absolute-form target with an empty path means "/" (RFC 9112 §3.2.2).
            path = i < target.count ? UnsafeRawBufferPointer(rebasing: target[i...]) : TargetMatch.rootPath
        } else if requestHead.hostIndex >= 0 {
            let v = requestHead.headers[requestHead.hostIndex].value
            host = UnsafeRawBufferPointer(rebasing: buffer[v.start..<v.end])
        }
        return (host, path)
    }
}

/// Byte-level matching helpers for routes (pure; unit-tested).
enum TargetMatch {
    /// "/" in static memory, for absolute-form targets without a path.
    nonisolated(unsafe) static let rootPath = UnsafeRawBufferPointer(start: ("/" as StaticString).utf8Start, count: 1)

    static func hasPrefix(_ path: UnsafeRawBufferPointer, _ prefix: [UInt8]) -> Bool {
        guard path.count >= prefix.count else { return false }
        for i in 0..<prefix.count where path[i] != prefix[i] { return false }
        return true
    }

    /// Length of "http://" or "https://" (case-insensitive) at the start of an absolute-form target.
    static func schemeLength(_ target: UnsafeRawBufferPointer) -> Int? {
        if target.count >= 7 && ByteCompare.hasPrefixCaseInsensitive(target, "http://") { return 7 }
        if target.count >= 8 && ByteCompare.hasPrefixCaseInsensitive(target, "https://") { return 8 }
        return nil
    }
}

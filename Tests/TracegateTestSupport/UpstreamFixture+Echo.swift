import Foundation

extension UpstreamFixture {
    /// The default handler: 200 `application/json` describing the request, the same shape as
    /// the proxy's built-in demo echo upstream:
    /// `{"method": "GET", "path": "/x?y=1", "headers": {"host": "…", "x-multi": ["a", "b"]},
    /// "body_length": 0}`. `path` is the request-target as received (query included); header
    /// names are lowercased and a name seen more than once maps to an array of its values.
    public static let echo: @Sendable (FixtureRequest) -> FixtureResponse = { request in
        FixtureResponse(
            status: 200,
            headers: [("Content-Type", "application/json")],
            body: .bytes(echoJSON(for: request)))
    }

    /// The JSON document `echo` answers with.
    public static func echoJSON(for request: FixtureRequest) -> [UInt8] {
        var headers = [String: Any]()
        var order = [String]()
        var values = [String: [String]]()
        for field in request.headers {
            let name = field.name.lowercased()
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(field.value)
        }
        for name in order {
            let list = values[name] ?? []
            headers[name] = list.count == 1 ? list[0] : list
        }
        let document: [String: Any] = [
            "method": request.method,
            "path": request.target,
            "headers": headers,
            "body_length": request.bodyLength,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data("{}".utf8)
        return [UInt8](data)
    }
}

extension UpstreamFixture {
    /// A handler answering by request path (query ignored) from a table, `fallback` for
    /// other paths: `UpstreamFixture.start(UpstreamFixture.routes(["/slow": .hang, "/ok": .text("ok")]))`.
    /// For per-request logic (echo on some paths, say) write a closure instead.
    public static func routes(
        _ table: [String: FixtureResponse],
        fallback: FixtureResponse = .text("no route\n", status: 404)
    ) -> @Sendable (FixtureRequest) -> FixtureResponse {
        { request in table[request.path] ?? fallback }
    }
}

// DemoEchoServer: the built-in demo upstream of the embedded default configuration.
import Foundation
import TracegateDataPlane

/// Answers every request with JSON describing what it received (method, path, headers, body
/// length), so `curl localhost:8080/anything` shows exactly what a service behind Tracegate sees.
public enum DemoEchoServer {
    public static func start(at address: SocketAddress) throws(SocketError) -> SimpleHTTPServer {
        let server = try SimpleHTTPServer(bind: address) { request in
            SimpleResponse(status: 200, body: describe(request))
        }
        server.start(name: "tg-demo-echo")
        return server
    }

    /// `{"method":…,"path":…,"query":…,"headers":{name: value or [values]},"body_length":n}` with
    /// header names lowercased and repeated headers as arrays.
    static func describe(_ request: SimpleRequest) -> String {
        var headers: [String: Any] = [:]
        for (name, value) in request.headers {
            let key = name.lowercased()
            switch headers[key] {
            case nil: headers[key] = value
            case let one as String: headers[key] = [one, value]
            case let many as [String]: headers[key] = many + [value]
            default: break
            }
        }
        let object: [String: Any] = [
            "method": request.method, "path": request.path, "query": request.query,
            "headers": headers, "body_length": request.bodyLength,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

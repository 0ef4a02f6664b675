import Foundation

/// The line `tracegate run` writes to stderr once every listener and the admin listener
/// are bound: `{"event":"ready","pid":1234,"listeners":{"main":"127.0.0.1:PORT"},"admin":"127.0.0.1:PORT"}`.
///
/// It is how a test learns the ports the kernel chose for the config's `port: 0` listeners,
/// without racing a fixed port and without sleeping.
public struct ProxyReadyLine: Sendable, Equatable {
    /// The pid the proxy reported.
    public var pid: Int
    /// Listener name → "127.0.0.1:PORT".
    public var listeners: [String: String]
    /// The admin listener's "127.0.0.1:PORT", when it has one.
    public var admin: String?
    /// The line as printed.
    public var raw: String

    /// Parses a stderr line; `nil` unless it is a JSON object with `"event":"ready"` and a
    /// `listeners` object of strings.
    public static func parse(_ line: String) -> ProxyReadyLine? {
        guard line.contains("\"ready\""),
              let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
              object["event"] as? String == "ready",
              let listeners = object["listeners"] as? [String: Any] else { return nil }
        var addresses = [String: String]()
        for (name, value) in listeners {
            guard let address = value as? String else { return nil }
            addresses[name] = address
        }
        return ProxyReadyLine(
            pid: (object["pid"] as? NSNumber)?.intValue ?? 0,
            listeners: addresses,
            admin: object["admin"] as? String,
            raw: line)
    }

    /// The port of a "host:port" address (the text after the last colon), or `nil`.
    public static func port(of address: String) -> Int? {
        guard let colon = address.lastIndex(of: ":") else { return nil }
        return Int(address[address.index(after: colon)...])
    }
}

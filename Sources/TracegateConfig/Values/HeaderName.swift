// HeaderName.swift — validation of header names and tokens from the configuration.

/// Header names in the configuration are RFC 9110 §5.1 field names, which are `token`s
/// (RFC 9110 §5.6.2). They are stored lowercase because field names are case-insensitive and the
/// data plane compares them against lowercased bytes (HTTP/2 requires lowercase, RFC 9113 §8.2.1).
enum HeaderName {
    /// RFC 9110 §5.6.2 `tchar`: `!#$%&'*+-.^_`|~`, digits and letters.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// True when `text` is a non-empty RFC 9110 token.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }

    /// Validates a header name and returns it lowercased.
    /// - Parameter what: how the value is named in the error (`header name`, `header prefix`).
    static func validate(_ text: String, what: String = "header name") throws(ValueSyntaxError) -> String {
        guard isToken(text) else {
            throw ValueSyntaxError(
                "invalid \(what) \"\(text)\": must be an RFC 9110 token (letters, digits, !#$%&'*+-.^_`|~)"
            )
        }
        return text.lowercased()
    }
}

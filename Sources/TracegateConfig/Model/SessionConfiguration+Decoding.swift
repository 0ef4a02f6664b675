// SessionConfiguration+Decoding.swift — reads `context.session`.

extension SessionConfiguration {
    static let keys = ["cookie", "header", "issue", "idle_expiry", "max_length"]

    /// Reads `session:`; absent keys keep their defaults, `cookie: null` disables the cookie.
    init(decoding field: Field, _ diagnostics: inout Diagnostics) {
        self.init()
        guard let mapping = field.mapping(keys: Self.keys, &diagnostics) else { return }
        var cookieValid = true
        if let cookieField = mapping["cookie"] {
            if cookieField.isNull {
                cookie = nil
            } else if let name = cookieField.validated(&diagnostics, Self.checkCookieName) {
                cookie = name
            } else {
                cookieValid = false
            }
        }
        if let value = mapping["header"]?.headerName(&diagnostics) { header = value }
        if let value = mapping["issue"]?.bool(&diagnostics) { issue = value }
        if let value = mapping["idle_expiry"]?.duration(max: .seconds(720 * 3_600), &diagnostics) {
            idleExpiry = value
        }
        if let value = mapping["max_length"]?.int(in: 1...1_024, &diagnostics) { maxLength = value }
        if issue, cookie == nil, cookieValid {
            let located = mapping["issue"] ?? field
            diagnostics.report(
                field.path.key("issue"),
                "issuing sessions requires a cookie name in cookie",
                at: located.mark
            )
        }
    }

    /// RFC 6265 §4.1.1: `cookie-name = token` (RFC 2616 token, same set as RFC 9110).
    static func checkCookieName(_ text: String) throws(ValueSyntaxError) -> String {
        guard HeaderName.isToken(text) else {
            throw ValueSyntaxError("invalid cookie name \"\(text)\": must be an RFC 6265 token")
        }
        return text
    }
}

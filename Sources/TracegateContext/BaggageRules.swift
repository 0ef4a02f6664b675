// BaggageRules.swift — the edge's baggage policy, built once from config.

/// What the edge lets through in `baggage`, built once from configuration.
///
/// - Untrusted peers: only keys in ``allowedKeys`` pass (exact, case-sensitive match: baggage
///   keys are tokens and downstream readers compare them exactly).
/// - Always: keys containing any of ``redactPatterns`` (ASCII case-insensitive substring) are
///   removed, so a trusted hop cannot leak e.g. `auth` or `password` members further either.
/// - Always: the member named ``sessionKey`` is removed; the edge appends its own value. The edge
///   owns `session.id`: it is the identity the edge extracted, validated or issued, and services
///   behind the edge join logs on it, so a client-supplied copy must never reach them.
/// - Limits (W3C Baggage, “Limits”): a combined header over ``maxMembers`` members or ``maxBytes`` bytes is
///   dropped whole. The spec lets a platform drop members of its choosing; dropping everything
///   is the predictable choice, and the result says it happened.
public struct BaggageRules: Sendable {
    /// Keys an untrusted peer may send.
    public let allowedKeys: [[UInt8]]
    /// Case-insensitive substrings that remove a key whatever the trust.
    public let redactPatterns: [[UInt8]]
    /// The edge-owned key, `session.id` by default (matched case-insensitively).
    public let sessionKey: [UInt8]
    /// Limit on members of the combined incoming header.
    public let maxMembers: Int
    /// Limit on bytes of the combined incoming header.
    public let maxBytes: Int

    let allowed: NameTable<Bool>
    let redacted: NameTable<Bool>
    let session: NameTable<Bool>

    public init(
        allowedKeys: [[UInt8]] = [],
        redactPatterns: [[UInt8]] = [],
        sessionKey: [UInt8] = Array("session.id".utf8),
        maxMembers: Int = Baggage.defaultMaxMembers,
        maxBytes: Int = Baggage.defaultMaxBytes
    ) {
        self.allowedKeys = allowedKeys
        self.redactPatterns = redactPatterns
        self.sessionKey = sessionKey
        self.maxMembers = maxMembers
        self.maxBytes = maxBytes
        var allowed = NameTable<Bool>(foldCase: false)
        for key in allowedKeys { allowed.add(key, value: true) }
        var redacted = NameTable<Bool>(foldCase: true)
        for pattern in redactPatterns { redacted.add(pattern, value: true) }
        var session = NameTable<Bool>(foldCase: true)
        session.add(sessionKey, value: true)
        self.allowed = allowed
        self.redacted = redacted
        self.session = session
    }

    /// Convenience for configuration code holding `String`s.
    public init(
        allowedKeys: [String],
        redactPatterns: [String],
        sessionKey: String = "session.id",
        maxMembers: Int = Baggage.defaultMaxMembers,
        maxBytes: Int = Baggage.defaultMaxBytes
    ) {
        self.init(
            allowedKeys: allowedKeys.map { Array($0.utf8) },
            redactPatterns: redactPatterns.map { Array($0.utf8) },
            sessionKey: Array(sessionKey.utf8),
            maxMembers: maxMembers,
            maxBytes: maxBytes
        )
    }
}

/// What ``Baggage/filter(fields:rules:trusted:prefix:sessionID:into:)`` did, for metrics.
public struct BaggageFilterResult: Hashable, Sendable {
    /// Incoming members written out.
    public var kept = 0
    /// Dropped because the peer is untrusted and the key is not allow-listed.
    public var droppedNotAllowed = 0
    /// Dropped because the key matched a redact pattern.
    public var droppedRedacted = 0
    /// Dropped because the member broke the grammar.
    public var droppedMalformed = 0
    /// Incoming members with the edge-owned session key, dropped (replaced by the edge's value).
    public var droppedSessionKey = 0
    /// `true` when the combined incoming header broke a limit and was dropped whole.
    public var overLimit = false
    /// Members in the header dropped for ``overLimit``.
    public var droppedOverLimit = 0
    /// `true` when the edge's own session member was appended.
    public var appendedSession = false
    /// Bytes written to the sink, prefix included; `0` means nothing was written at all.
    public var bytesWritten = 0

    public init() {}

    /// Total incoming members not forwarded.
    public var dropped: Int {
        droppedNotAllowed + droppedRedacted + droppedMalformed + droppedSessionKey + droppedOverLimit
    }
}

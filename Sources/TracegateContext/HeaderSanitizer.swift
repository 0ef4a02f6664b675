// HeaderSanitizer.swift — per-header-line verdict: keep, strip (with a metric label), or edge-owned.

/// A request header the edge decision owns: the proxy never forwards these blindly, it applies
/// the ``EdgeDecision`` (see ``EdgeDecision/forwardsIncoming(_:)``).
public enum EdgeHeader: UInt8, Hashable, Sendable {
    case traceparent, tracestate, baggage, debug, correlation, session
}

/// A stable label for a stripped header: an index into ``HeaderSanitizer/labels``.
///
/// Why an index: the proxy counts strips per header name on every request; an index into a
/// table built at start-up lets it bump `counters[label.rawValue]` without creating a `String`
/// or hashing anything, and the metrics side reads the names from the table once.
public struct StripLabel: Hashable, Sendable {
    public let rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }
}

/// What to do with one request header line.
public enum SanitizeVerdict: Hashable, Sendable {
    /// Forward unchanged.
    case keep
    /// Remove; count it under the label.
    case strip(StripLabel)
    /// The edge decision owns this header; apply the decision.
    case edge(EdgeHeader)
}

/// Decides, from a header name, whether a request line is forwarded, stripped or edge-owned.
///
/// From untrusted peers Tracegate strips every header through which a client could inject or
/// steer trace context of other formats (B3, Jaeger/Uber, OpenTracing, Datadog, AWS X-Ray,
/// Google Cloud, gRPC binary), Tracegate's own `x-tracegate-*` namespace, and the configured
/// names and prefixes. Trusted peers (inside the trust boundary) keep them.
///
/// `traceparent`, `tracestate`, `baggage`, the debug header, the correlation headers and the
/// session header are *edge-owned* whatever the trust: the decision validates, continues,
/// filters or replaces them. They are matched first, so a configured debug header such as
/// `x-tracegate-debug` is never mistaken for a plain strip.
///
/// Names compare ASCII case-insensitively (RFC 9110 §5.1). Nothing here allocates.
public struct HeaderSanitizer: Sendable {
    /// Start-up configuration.
    public struct Configuration: Sendable {
        public var extraStripNames: [String]
        public var stripPrefixes: [String]
        public var debugHeaderName: String
        public var correlationHeaderNames: [String]
        public var sessionHeaderName: String?

        public init(
            extraStripNames: [String] = [],
            stripPrefixes: [String] = [],
            debugHeaderName: String = "x-tracegate-debug",
            correlationHeaderNames: [String] = ["x-correlation-id"],
            sessionHeaderName: String? = "x-session-id"
        ) {
            self.extraStripNames = extraStripNames
            self.stripPrefixes = stripPrefixes
            self.debugHeaderName = debugHeaderName
            self.correlationHeaderNames = correlationHeaderNames
            self.sessionHeaderName = sessionHeaderName
        }
    }

    private let debugName: [UInt8]
    private let correlationNames: [[UInt8]]
    private let sessionName: [UInt8]?
    private let extraNames: [[UInt8]]
    private let prefixes: [[UInt8]]

    /// Metric label of each ``StripLabel`` index: the built-in names (lowercase, `*` marking a
    /// prefix), then each configured name, then each configured prefix followed by `*`.
    public let labels: [String]

    public init(_ configuration: Configuration = Configuration()) {
        func lowered(_ s: String) -> [UInt8] { s.utf8.map(ASCII.lower) }
        debugName = lowered(configuration.debugHeaderName)
        correlationNames = configuration.correlationHeaderNames.map(lowered)
        sessionName = configuration.sessionHeaderName.map(lowered)
        extraNames = configuration.extraStripNames.map(lowered)
        prefixes = configuration.stripPrefixes.map(lowered)
        labels = BuiltInStrip.allCases.map(\.label)
            + configuration.extraStripNames.map { String(decoding: lowered($0), as: UTF8.self) }
            + configuration.stripPrefixes.map { String(decoding: lowered($0), as: UTF8.self) + "*" }
    }

    /// The metric label for `label`.
    public func name(of label: StripLabel) -> String {
        Int(label.rawValue) < labels.count ? labels[Int(label.rawValue)] : "unknown"
    }

    /// The verdict for a request header named `name` from a trusted or untrusted peer.
    public func classify(_ name: UnsafeRawBufferPointer, trusted: Bool) -> SanitizeVerdict {
        if let owned = edgeHeader(name) { return .edge(owned) }
        if trusted { return .keep }
        if let builtIn = BuiltInStrip.match(name) { return .strip(StripLabel(rawValue: builtIn.rawValue)) }
        let base = BuiltInStrip.allCases.count
        for (index, extra) in extraNames.enumerated() {
            if extra.withUnsafeBytes({ ASCII.equalIgnoringCase(name, $0) }) {
                return .strip(StripLabel(rawValue: UInt16(base + index)))
            }
        }
        for (index, prefix) in prefixes.enumerated() {
            if prefix.withUnsafeBytes({ ASCII.hasPrefixIgnoringCase(name, $0) }) {
                return .strip(StripLabel(rawValue: UInt16(base + extraNames.count + index)))
            }
        }
        return .keep
    }

    private func edgeHeader(_ name: UnsafeRawBufferPointer) -> EdgeHeader? {
        if debugName.withUnsafeBytes({ ASCII.equalIgnoringCase(name, $0) }) { return .debug }
        if let sessionName, sessionName.withUnsafeBytes({ ASCII.equalIgnoringCase(name, $0) }) { return .session }
        for correlation in correlationNames where correlation.withUnsafeBytes({ ASCII.equalIgnoringCase(name, $0) }) {
            return .correlation
        }
        if ASCII.equalIgnoringCase(name, StaticString("traceparent").rawBytes) { return .traceparent }
        if ASCII.equalIgnoringCase(name, StaticString("tracestate").rawBytes) { return .tracestate }
        if ASCII.equalIgnoringCase(name, StaticString("baggage").rawBytes) { return .baggage }
        return nil
    }
}

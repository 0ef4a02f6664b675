// HeaderSanitizer.swift — per-header-line verdict: keep, strip (with a metric label), or edge-owned.

/// A request header the edge decision owns: the proxy never forwards these blindly, it applies
/// the ``EdgeDecision`` (see ``EdgeDecision/forwardsIncoming(_:)``).
public enum EdgeHeader: UInt8, Hashable, Sendable {
    case traceparent, tracestate, baggage, debug, correlation, session
    /// `x-tracegate-fault-delay-ms` and `x-tracegate-fault-abort`: instructions to the edge,
    /// honoured only from authorised callers and never forwarded (see ``EdgeDecision/authorisesFaultHeaders(trusted:)``).
    case faultDelay, faultAbort
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

    /// Edge-owned names first, then built-in and configured strip names and prefixes.
    private let table: NameTable<SanitizeVerdict>

    /// Metric label of each ``StripLabel`` index: the built-in names (lowercase, `*` marking a
    /// prefix), then each configured name, then each configured prefix followed by `*`.
    public let labels: [String]

    public init(_ configuration: Configuration = Configuration()) {
        var table = NameTable<SanitizeVerdict>(foldCase: true)
        // Edge-owned names take precedence over every strip rule.
        table.add(configuration.debugHeaderName.utf8, value: .edge(.debug))
        if let session = configuration.sessionHeaderName { table.add(session.utf8, value: .edge(.session)) }
        for name in configuration.correlationHeaderNames { table.add(name.utf8, value: .edge(.correlation)) }
        table.add("traceparent".utf8, value: .edge(.traceparent))
        table.add("tracestate".utf8, value: .edge(.tracestate))
        table.add("baggage".utf8, value: .edge(.baggage))
        table.add(BuiltInStrip.faultDelay.label.utf8, value: .edge(.faultDelay))
        table.add(BuiltInStrip.faultAbort.label.utf8, value: .edge(.faultAbort))
        for builtIn in BuiltInStrip.allCases where !builtIn.isEdgeOwned {
            table.add(builtIn.pattern.utf8, value: .strip(StripLabel(rawValue: builtIn.rawValue)), prefix: builtIn.isPrefix)
        }
        var next = UInt16(BuiltInStrip.allCases.count)
        for name in configuration.extraStripNames {
            table.add(name.utf8, value: .strip(StripLabel(rawValue: next)))
            next += 1
        }
        for prefix in configuration.stripPrefixes {
            table.add(prefix.utf8, value: .strip(StripLabel(rawValue: next)), prefix: true)
            next += 1
        }
        self.table = table
        func lowered(_ s: String) -> String { String(decoding: s.utf8.map(ASCII.lower), as: UTF8.self) }
        labels = BuiltInStrip.allCases.map(\.label)
            + configuration.extraStripNames.map(lowered)
            + configuration.stripPrefixes.map { lowered($0) + "*" }
    }

    /// The label under which an unauthorised `x-tracegate-fault-delay-ms` is counted as stripped.
    public static let faultDelayLabel = StripLabel(rawValue: BuiltInStrip.faultDelay.rawValue)
    /// The label under which an unauthorised `x-tracegate-fault-abort` is counted as stripped.
    public static let faultAbortLabel = StripLabel(rawValue: BuiltInStrip.faultAbort.rawValue)

    /// The metric label for `label`.
    public func name(of label: StripLabel) -> String {
        Int(label.rawValue) < labels.count ? labels[Int(label.rawValue)] : "unknown"
    }

    /// The verdict for a request header named `name` from a trusted or untrusted peer.
    ///
    /// Exact names are matched before prefixes; among either, the order above decides.
    public func classify(_ name: UnsafeRawBufferPointer, trusted: Bool) -> SanitizeVerdict {
        switch table.lookup(name) {
        case .none: return .keep
        case .some(.strip) where trusted: return .keep
        case .some(let verdict): return verdict
        }
    }
}

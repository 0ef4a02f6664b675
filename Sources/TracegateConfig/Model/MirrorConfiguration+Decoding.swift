// MirrorConfiguration+Decoding.swift — reads `routes[i].mirror`.

import TracegateResilience

extension MirrorConfiguration {
    static let keys = [
        "cluster", "fraction", "host_suffix", "methods", "max_body", "max_in_flight", "timeout", "compare",
    ]

    /// Reads `mirror:`; absent keys keep their defaults. nil when it is not a mapping, has no
    /// cluster, or any value is wrong (reported). Whether the cluster exists and suits
    /// mirroring is checked by `Validation`, with the other references between sections.
    static func decode(_ field: Field, _ diagnostics: inout Diagnostics) -> MirrorConfiguration? {
        guard let mapping = field.mapping(keys: keys, &diagnostics) else { return nil }
        let before = diagnostics.count
        let cluster = mapping.required("cluster", &diagnostics)?.nonEmptyString(&diagnostics)
        let fraction = mapping["fraction"]?.number(&diagnostics)
        let selector = mapping.resilience(&diagnostics) { (v: ResilienceValues) throws(ResilienceConfigError) in
            // The default, 1, mirrors every trace.
            try MirrorSelector(fraction: v.pick("fraction", fraction, or: 1))
        }
        let hostSuffix = mapping["host_suffix"]?.validated(&diagnostics, checkHostSuffix)
        let methods = mapping["methods"].flatMap { decodeMethods($0, &diagnostics) }
        let maxBody = mapping["max_body"]?.size(in: 0...(16 << 20), &diagnostics)
        let maxInFlight = mapping["max_in_flight"]?.int(in: 1...65_535, &diagnostics)
        let timeout = mapping["timeout"]?.duration(max: .seconds(3_600), &diagnostics)
        let compare = mapping["compare"]?.oneOf(MirrorCompare.self, &diagnostics)
        guard diagnostics.count == before, let cluster, let selector else { return nil }
        var mirror = MirrorConfiguration(cluster: cluster, selector: selector)
        if let hostSuffix { mirror.hostSuffix = hostSuffix }
        if let methods { mirror.methods = methods }
        if let maxBody { mirror.maxBody = maxBody }
        if let maxInFlight { mirror.maxInFlight = maxInFlight }
        if let timeout { mirror.timeout = timeout }
        if let compare { mirror.compare = compare }
        return mirror
    }

    /// Letters, digits, `-`, `.` and `_`: the characters a registered host name (RFC 3986
    /// `reg-name`, without percent-encoding or sub-delims) can hold, so the shadow's `Host`
    /// stays a valid host whatever the primary's was.
    static func checkHostSuffix(_ text: String) throws(ValueSyntaxError) -> String {
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F
        }
        guard allowed else {
            throw ValueSyntaxError("may contain only letters, digits, \"-\", \".\" and \"_\" (got \"\(text)\")")
        }
        return text
    }

    /// A non-empty list of methods (any case), no duplicates.
    private static func decodeMethods(_ field: Field, _ diagnostics: inout Diagnostics) -> [MirrorMethod]? {
        guard let items = field.sequence(&diagnostics) else { return nil }
        guard !items.isEmpty else {
            field.report("must list at least one method (omit methods to mirror every method)", &diagnostics)
            return nil
        }
        let before = diagnostics.count
        var methods: [MirrorMethod] = []
        let names = MirrorMethod.allCases.map(\.rawValue)
        for item in items {
            guard let text = item.string(&diagnostics) else { continue }
            guard let method = MirrorMethod(rawValue: text.uppercased()) else {
                let hint = Suggestion.hint(for: text.uppercased(), among: names)
                item.report("expected one of \(names.joined(separator: ", ")); got \"\(text)\"\(hint)", &diagnostics)
                continue
            }
            if methods.contains(method) {
                item.report("duplicate method \"\(method.rawValue)\"", &diagnostics)
                continue
            }
            methods.append(method)
        }
        return diagnostics.count == before ? methods : nil
    }
}

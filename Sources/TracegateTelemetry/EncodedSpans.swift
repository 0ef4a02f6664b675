// EncodedSpans.swift — spans already in the wire format, ready to be batched.

/// Spans encoded as consecutive `ScopeSpans.spans` entries (field 2, length-delimited `Span`
/// messages), plus how many there are.
///
/// The queue and the batches hold these rather than `SpanData`: a span is encoded once, on the
/// caller's thread, into one contiguous array, and a batch is those arrays concatenated inside
/// the request's envelope. No per-field objects exist anywhere on the way.
public struct EncodedSpans: Sendable {
    public internal(set) var bytes: [UInt8]
    public internal(set) var count: Int

    init(bytes: [UInt8], count: Int) {
        self.bytes = bytes
        self.count = count
    }
}

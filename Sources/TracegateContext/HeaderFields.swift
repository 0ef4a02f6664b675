// HeaderFields.swift — a fixed-capacity, allocation-free list of field-value views.

/// The values of a header field that may legitimately appear on several lines of one request head
/// (`tracestate`, `baggage`, `cookie` — HTTP/2 splits cookies into crumbs, RFC 9113 §8.2.3).
///
/// Why not `[UnsafeRawBufferPointer]`: building an array per request allocates. This list keeps up
/// to ``capacity`` views inline. Appending beyond capacity sets ``overflowed``; consumers treat an
/// overflowed list as unusable (tracestate dropped, baggage dropped as over limit, cookie ignored).
/// Eight lines of one header is far beyond what any legitimate client sends.
///
/// The views point into the caller's receive buffer and must stay valid while the list is used.
public struct HeaderFields {
    /// How many field values fit inline.
    public static let capacity = 8

    private var storage: InlineArray<8, UnsafeRawBufferPointer>
    /// Number of field values stored.
    public private(set) var count: Int
    /// `true` when more than ``capacity`` values were appended (the extra ones were not kept).
    public private(set) var overflowed: Bool

    /// An empty list.
    public init() {
        storage = InlineArray(repeating: UnsafeRawBufferPointer(start: nil, count: 0))
        count = 0
        overflowed = false
    }

    /// A list holding one field value.
    public init(_ field: UnsafeRawBufferPointer) {
        self.init()
        append(field)
    }

    /// Adds the value of one more header line, in the order the lines appeared (RFC 9110 §5.3).
    public mutating func append(_ field: UnsafeRawBufferPointer) {
        guard count < Self.capacity else {
            overflowed = true
            return
        }
        storage[count] = field
        count += 1
    }

    /// The `index`-th field value; `index` must be in `0..<count`.
    public subscript(index: Int) -> UnsafeRawBufferPointer {
        storage[index]
    }

    /// `true` when no field value was appended.
    public var isEmpty: Bool { count == 0 && !overflowed }

    /// Size of the values combined into one with `,` separators (RFC 9110 §5.3).
    public var combinedByteCount: Int {
        guard count > 0 else { return 0 }
        var total = count - 1
        for index in 0..<count { total += storage[index].count }
        return total
    }
}

// ByteSink.swift — the output abstraction every writer in TracegateContext appends to.

/// A destination for bytes written by the context module (header values, cookies, baggage).
///
/// Why a protocol: the data plane writes rewritten request and response heads into its own
/// per-connection output buffer; conforming that buffer lets every writer here append straight
/// into it with no intermediate `String` or `Array`. Writers only ever append, so a conformer
/// needs no random access.
public protocol ByteSink {
    /// Appends a run of bytes.
    mutating func append(_ bytes: UnsafeRawBufferPointer)
    /// Appends one byte.
    mutating func append(byte: UInt8)
}

extension ByteSink {
    /// Appends the UTF-8 bytes of a compile-time string without allocating.
    public mutating func append(_ string: StaticString) {
        append(string.rawBytes)
    }
}

/// A growable, array-backed ``ByteSink`` for tests, start-up code and tools.
///
/// It allocates as it grows, so it is not meant for the per-request path; the proxy conforms its
/// own preallocated buffer instead.
public struct ByteArraySink: ByteSink, Sendable {
    /// The bytes appended so far.
    public var bytes: [UInt8]

    /// Creates an empty sink, optionally reserving room.
    public init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        self.bytes.append(contentsOf: bytes)
    }

    public mutating func append(byte: UInt8) {
        bytes.append(byte)
    }

    /// The bytes decoded as UTF-8 (tests and diagnostics only).
    public var string: String { String(decoding: bytes, as: UTF8.self) }
}

extension StaticString {
    /// The string's UTF-8 bytes as a raw buffer; static strings live for the whole program.
    @inlinable
    var rawBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: utf8Start, count: utf8CodeUnitCount)
    }
}

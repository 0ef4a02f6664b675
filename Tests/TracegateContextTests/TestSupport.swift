// TestSupport.swift — byte-view helpers for tests.

import TracegateContext

/// A static string as bytes; static strings live for the whole program, so the view never dangles.
func bytes(_ string: StaticString) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount)
}

/// Keeps copies of dynamic strings alive while a test uses views into them.
final class Arena {
    private var blocks: [UnsafeMutableRawBufferPointer] = []

    func bytes(_ string: String) -> UnsafeRawBufferPointer {
        bytes(Array(string.utf8))
    }

    func bytes(_ array: [UInt8]) -> UnsafeRawBufferPointer {
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, array.count), alignment: 1)
        array.withUnsafeBytes { block.copyMemory(from: $0) }
        blocks.append(block)
        return UnsafeRawBufferPointer(rebasing: block[0..<array.count])
    }

    deinit {
        for block in blocks { block.deallocate() }
    }
}

/// Runs `body` with an arena that outlives it.
func withArena<R>(_ body: (Arena) throws -> R) rethrows -> R {
    let arena = Arena()
    return try withExtendedLifetime(arena) { try body(arena) }
}

/// Calls `body` with the bytes of a dynamic string.
func withBytes<R>(_ string: String, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try Array(string.utf8).withUnsafeBytes(body)
}

/// Runs a writer into a fresh sink and returns the text.
func written(_ body: (inout ByteArraySink) -> Void) -> String {
    var sink = ByteArraySink()
    body(&sink)
    return sink.string
}

extension HeaderFields {
    /// A list from several views.
    init(_ fields: [UnsafeRawBufferPointer]) {
        self.init()
        for field in fields { append(field) }
    }
}

extension UnsafeRawBufferPointer {
    /// The bytes as text (tests only).
    var text: String { String(decoding: self, as: UTF8.self) }
}

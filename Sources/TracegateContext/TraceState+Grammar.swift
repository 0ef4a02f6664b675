// TraceState+Grammar.swift — key and value grammar of tracestate list-members.

extension TraceState {
    /// `true` when `bytes` is a `key` under `grammar` (Trace Context, tracestate “Key”).
    public static func isValidKey(_ bytes: UnsafeRawBufferPointer, grammar: KeyGrammar = .level2) -> Bool {
        switch grammar {
        case .level2: return isLevel2Key(bytes)
        case .level1: return isLevel1Key(bytes)
        }
    }

    /// `true` when `bytes` is a `value`: 1–256 printable ASCII characters (0x20–0x7E) other than
    /// `,` and `=`, not ending in a space (tracestate “Value”).
    public static func isValidValue(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        guard n >= 1, n <= maxValueLength, bytes[n - 1] != ASCII.space else { return false }
        var miss: UInt8 = 0
        for byte in bytes {
            // chr = %x20 / nblk-chr
            let spaceAsValue: UInt8 = byte == ASCII.space ? ByteClass.traceStateValue : 0
            miss |= ~(ByteClass.of(byte) | spaceAsValue) & ByteClass.traceStateValue
        }
        return miss == 0
    }

    /// `lcalpha / DIGIT / "_" / "-" / "*" / "/"` — the Level 1 key character set.
    @inline(__always)
    static func isKeyChar(_ byte: UInt8) -> Bool {
        ByteClass.is(byte, ByteClass.traceStateKey)
    }

    private static func isLevel2Key(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        guard n >= 1, n <= maxKeyLength else { return false }
        guard ASCII.isLowerAlpha(bytes[0]) || ASCII.isDigit(bytes[0]) else { return false }
        for index in 1..<n {
            let byte = bytes[index]
            guard isKeyChar(byte) || byte == 0x40 else { return false }
        }
        return true
    }

    private static func isLevel1Key(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        guard n >= 1 else { return false }
        var at = -1
        for index in 0..<n where bytes[index] == 0x40 {
            guard at < 0 else { return false }
            at = index
        }
        if at < 0 {
            // simple-key = lcalpha 0*255(keychar)
            guard n <= 256, ASCII.isLowerAlpha(bytes[0]) else { return false }
            for index in 1..<n where !isKeyChar(bytes[index]) { return false }
            return true
        }
        // tenant-id = (lcalpha / DIGIT) 0*240(keychar); system-id = lcalpha 0*13(keychar)
        let tenantLength = at
        let systemLength = n - at - 1
        guard tenantLength >= 1, tenantLength <= 241, systemLength >= 1, systemLength <= 14 else { return false }
        guard ASCII.isLowerAlpha(bytes[0]) || ASCII.isDigit(bytes[0]) else { return false }
        for index in 1..<at where !isKeyChar(bytes[index]) { return false }
        guard ASCII.isLowerAlpha(bytes[at + 1]) else { return false }
        for index in (at + 2)..<n where !isKeyChar(bytes[index]) { return false }
        return true
    }
}

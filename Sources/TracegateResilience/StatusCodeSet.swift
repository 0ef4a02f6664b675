// StatusCodeSet.swift — a fixed-size set of HTTP status codes 100...599.

/// A set of HTTP status codes in `100...599`, stored inline as a 512-bit map.
///
/// Why a bit map and not `Set<UInt16>`: membership is tested once per failed attempt on the
/// worker, so it must neither hash nor touch the heap; eight words fit in the policy itself and a
/// test is one shift and one mask.
public struct StatusCodeSet: Hashable, Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    /// The codes a set can hold (RFC 9110 §15: three digits, first digit 1–5).
    public static let validRange: ClosedRange<UInt16> = 100...599

    /// The empty set.
    public init() {
        words = (0, 0, 0, 0, 0, 0, 0, 0)
    }

    /// A set holding `codes`.
    ///
    /// - Throws: ``ResilienceConfigError`` for a code outside `100...599`, naming `key`.
    public init(
        _ codes: some Sequence<UInt16>,
        key: String = "retriable_status_codes"
    ) throws(ResilienceConfigError) {
        self.init()
        for code in codes {
            try ResilienceConfigError.check(code, in: Self.validRange, key: key)
            insert(code)
        }
    }

    /// `true` when `code` is in the set; codes outside `100...599` never are.
    public func contains(_ code: UInt16) -> Bool {
        guard Self.validRange.contains(code) else { return false }
        let bit = Int(code - Self.validRange.lowerBound)
        return word(bit >> 6) & (1 << UInt64(bit & 63)) != 0
    }

    /// Adds `code`; codes outside `100...599` are ignored.
    public mutating func insert(_ code: UInt16) {
        guard Self.validRange.contains(code) else { return }
        let bit = Int(code - Self.validRange.lowerBound)
        setWord(bit >> 6, word(bit >> 6) | (1 << UInt64(bit & 63)))
    }

    /// `true` when no code is in the set.
    public var isEmpty: Bool {
        words.0 | words.1 | words.2 | words.3 | words.4 | words.5 | words.6 | words.7 == 0
    }

    private func word(_ index: Int) -> UInt64 {
        switch index {
        case 0: words.0
        case 1: words.1
        case 2: words.2
        case 3: words.3
        case 4: words.4
        case 5: words.5
        case 6: words.6
        default: words.7
        }
    }

    private mutating func setWord(_ index: Int, _ value: UInt64) {
        switch index {
        case 0: words.0 = value
        case 1: words.1 = value
        case 2: words.2 = value
        case 3: words.3 = value
        case 4: words.4 = value
        case 5: words.5 = value
        case 6: words.6 = value
        default: words.7 = value
        }
    }

    public static func == (lhs: StatusCodeSet, rhs: StatusCodeSet) -> Bool {
        (0..<8).allSatisfy { lhs.word($0) == rhs.word($0) }
    }

    public func hash(into hasher: inout Hasher) {
        for index in 0..<8 {
            hasher.combine(word(index))
        }
    }
}

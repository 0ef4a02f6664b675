// CIDRBlock.swift — an IPv4 or IPv6 network prefix, for trust decisions on the hot path.

/// A network prefix such as `10.0.0.0/8` or `2001:db8::/32`, used to decide whether a peer is
/// trusted (DESIGN.md: untrusted peers get their trace context restarted and headers stripped).
///
/// Parsing happens once at start-up; `contains` is the per-connection check and is branch-light
/// integer arithmetic with no allocation. Host bits set in the text (`10.1.2.3/8`) are accepted
/// and masked off (`10.0.0.0/8`). A bare address (`192.0.2.7`) is a single-host prefix (`/32`,
/// `/128`).
///
/// Address families: an IPv4 block matches IPv4 peers and IPv4-mapped IPv6 peers
/// (`::ffff:a.b.c.d`, what a dual-stack socket reports for an IPv4 client, RFC 4291 §2.5.5.2).
/// An IPv6 block matches IPv6 peers only, so `::/0` never silently trusts all of IPv4.
public struct CIDRBlock: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The address family of a block.
    public enum Family: Sendable, Equatable, Hashable {
        /// 32-bit addresses, prefix length 0...32.
        case ipv4
        /// 128-bit addresses, prefix length 0...128.
        case ipv6
    }

    /// IPv4 or IPv6.
    public let family: Family
    /// Number of leading bits that must match (0...32 or 0...128).
    public let prefixLength: Int
    // IPv4 blocks keep the network and mask in the low 32 bits of `networkLow`/`maskLow`.
    private let networkHigh: UInt64
    private let networkLow: UInt64
    private let maskHigh: UInt64
    private let maskLow: UInt64

    /// An IPv4 block; `address` is in host byte order. Host bits are masked off.
    public init?(ipv4 address: UInt32, prefixLength: Int) {
        guard (0...32).contains(prefixLength) else { return nil }
        let mask: UInt32 = prefixLength == 0 ? 0 : UInt32.max << (32 - prefixLength)
        self.family = .ipv4
        self.prefixLength = prefixLength
        self.networkHigh = 0
        self.maskHigh = 0
        self.maskLow = UInt64(mask)
        self.networkLow = UInt64(address & mask)
    }

    /// An IPv6 block; `address` is the 16 network-order bytes folded big-endian into halves.
    public init?(ipv6 address: (UInt64, UInt64), prefixLength: Int) {
        guard (0...128).contains(prefixLength) else { return nil }
        let highBits = min(prefixLength, 64)
        let lowBits = max(prefixLength - 64, 0)
        let maskHigh: UInt64 = highBits == 0 ? 0 : UInt64.max << (64 - highBits)
        let maskLow: UInt64 = lowBits == 0 ? 0 : UInt64.max << (64 - lowBits)
        self.family = .ipv6
        self.prefixLength = prefixLength
        self.maskHigh = maskHigh
        self.maskLow = maskLow
        self.networkHigh = address.0 & maskHigh
        self.networkLow = address.1 & maskLow
    }

    /// Parses `a.b.c.d/n`, `ipv6/n`, or a bare address; nil when invalid.
    public static func parse(_ text: String) -> CIDRBlock? {
        try? parseChecked(text)
    }

    /// The loopback ranges, `127.0.0.0/8` and `::1/128`: the default `trusted_cidrs`.
    public static let loopback: [CIDRBlock] = [
        CIDRBlock(family: .ipv4, prefixLength: 8, network: (0, 0x7F00_0000), mask: (0, 0xFF00_0000)),
        CIDRBlock(family: .ipv6, prefixLength: 128, network: (0, 1), mask: (.max, .max)),
    ]

    private init(family: Family, prefixLength: Int, network: (UInt64, UInt64), mask: (UInt64, UInt64)) {
        self.family = family
        self.prefixLength = prefixLength
        self.networkHigh = network.0
        self.networkLow = network.1
        self.maskHigh = mask.0
        self.maskLow = mask.1
    }

    /// Whether an IPv4 peer is inside this block.
    ///
    /// - Parameter ipv4: the address in host byte order, as `ntohl(sin_addr.s_addr)`.
    /// - Returns: false for IPv6 blocks.
    public func contains(ipv4 address: UInt32) -> Bool {
        family == .ipv4 && UInt64(address) & maskLow == networkLow
    }

    /// Whether an IPv6 peer is inside this block.
    ///
    /// - Parameter bytes: the 16 `sin6_addr` bytes folded big-endian, bytes 0-7 into `.0` and
    ///   8-15 into `.1`. An IPv4-mapped address (`::ffff:a.b.c.d`) is checked against IPv4 blocks.
    public func contains(ipv6 bytes: (UInt64, UInt64)) -> Bool {
        switch family {
        case .ipv6:
            return bytes.0 & maskHigh == networkHigh && bytes.1 & maskLow == networkLow
        case .ipv4:
            return bytes.0 == 0 && bytes.1 >> 32 == 0xFFFF && bytes.1 & 0xFFFF_FFFF & maskLow == networkLow
        }
    }

    /// Canonical text with host bits cleared: `10.0.0.0/8`, `2001:db8::/32`.
    public var description: String {
        switch family {
        case .ipv4:
            return "\(IPAddressText.formatIPv4(UInt32(truncatingIfNeeded: networkLow)))/\(prefixLength)"
        case .ipv6:
            return "\(IPAddressText.formatIPv6(high: networkHigh, low: networkLow))/\(prefixLength)"
        }
    }

    /// Parses with a reason on failure, for configuration errors.
    static func parseChecked(_ text: String) throws(ValueSyntaxError) -> CIDRBlock {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let addressText = parts[0]
        var prefix: Int?
        if parts.count == 2 {
            guard parts[1].utf8.count <= 3, parts[1].utf8.allSatisfy({ (48...57).contains($0) }),
                let value = Int(parts[1])
            else {
                throw ValueSyntaxError("invalid CIDR \"\(text)\": prefix length must be a number")
            }
            prefix = value
        }
        if let v4 = IPAddressText.parseIPv4(addressText) {
            let length = prefix ?? 32
            guard let block = CIDRBlock(ipv4: v4, prefixLength: length) else {
                throw ValueSyntaxError("invalid CIDR \"\(text)\": prefix length \(length) exceeds 32")
            }
            return block
        }
        if let v6 = IPAddressText.parseIPv6(addressText) {
            let length = prefix ?? 128
            guard let block = CIDRBlock(ipv6: v6, prefixLength: length) else {
                throw ValueSyntaxError("invalid CIDR \"\(text)\": prefix length \(length) exceeds 128")
            }
            return block
        }
        throw ValueSyntaxError("invalid CIDR \"\(text)\": \"\(addressText)\" is not an IPv4 or IPv6 address")
    }
}

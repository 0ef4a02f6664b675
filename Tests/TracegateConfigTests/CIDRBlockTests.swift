// CIDRBlockTests.swift — CIDR parsing and the hot-path `contains` checks.

import Testing
import TracegateConfig

@Suite("CIDRBlock")
struct CIDRBlockTests {
    @Test(
        "parsing normalises and masks host bits",
        arguments: [
            ("10.0.0.0/8", "10.0.0.0/8"),
            ("10.1.2.3/8", "10.0.0.0/8"),
            ("192.0.2.7", "192.0.2.7/32"),
            ("0.0.0.0/0", "0.0.0.0/0"),
            ("::1/128", "::1/128"),
            ("::1", "::1/128"),
            ("2001:DB8:0:0:1::/48", "2001:db8::/48"),
            ("2001:db8::ff/64", "2001:db8::/64"),
            ("fe80::1:2:3:4/10", "fe80::/10"),
            ("::ffff:10.0.0.1/128", "::ffff:10.0.0.1/128"),
            ("1:0:0:1:0:0:0:1/128", "1:0:0:1::1/128"),
            ("::/0", "::/0"),
        ]
    )
    func parse(text: String, canonical: String) throws {
        let block = try #require(CIDRBlock.parse(text))
        #expect(block.description == canonical)
    }

    @Test(
        "invalid CIDRs are rejected",
        arguments: [
            "", "10.0.0.0/33", "::/129", "10.0.0/8", "10.0.0.0.0/8", "010.0.0.1/32", "1.2.3.256",
            "10.0.0.0/", "10.0.0.0/-1", "1::2::3", ":::", "12345::/16", "fe80::1%eth0/64", "g::/8", "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7/64", "10.0.0.0/8/8", " 10.0.0.0/8",
        ]
    )
    func invalid(text: String) {
        #expect(CIDRBlock.parse(text) == nil)
    }

    @Test("IPv4 contains")
    func containsIPv4() throws {
        let block = try #require(CIDRBlock.parse("10.0.0.0/8"))
        #expect(block.contains(ipv4: 0x0A00_0000))
        #expect(block.contains(ipv4: 0x0AFF_FFFF))
        #expect(!block.contains(ipv4: 0x0B00_0000))
        #expect(!block.contains(ipv4: 0x0900_0000))
        let host = try #require(CIDRBlock.parse("192.0.2.7/32"))
        #expect(host.contains(ipv4: 0xC000_0207))
        #expect(!host.contains(ipv4: 0xC000_0208))
        let all = try #require(CIDRBlock.parse("0.0.0.0/0"))
        #expect(all.contains(ipv4: 0xFFFF_FFFF) && all.contains(ipv4: 0))
        let v6 = try #require(CIDRBlock.parse("::/0"))
        #expect(!v6.contains(ipv4: 0x7F00_0001), "an IPv6 block never matches a plain IPv4 peer")
    }

    @Test("IPv6 contains")
    func containsIPv6() throws {
        let block = try #require(CIDRBlock.parse("2001:db8::/32"))
        #expect(block.contains(ipv6: fold([0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0xAB, count: 12))))
        #expect(!block.contains(ipv6: fold([0x20, 0x01, 0x0D, 0xB9] + [UInt8](repeating: 0, count: 12))))
        let loopback = try #require(CIDRBlock.parse("::1/128"))
        #expect(loopback.contains(ipv6: (0, 1)))
        #expect(!loopback.contains(ipv6: (0, 2)))
        // A prefix that ends in the low half.
        let deep = try #require(CIDRBlock.parse("2001:db8:0:0:8000::/65"))
        #expect(deep.contains(ipv6: (0x2001_0DB8_0000_0000, 0x8000_0000_0000_0001)))
        #expect(!deep.contains(ipv6: (0x2001_0DB8_0000_0000, 0x7FFF_FFFF_FFFF_FFFF)))
        let v4 = try #require(CIDRBlock.parse("10.0.0.0/8"))
        #expect(!v4.contains(ipv6: (0x2001_0DB8_0000_0000, 0)))
    }

    @Test("an IPv4 block matches IPv4-mapped IPv6 peers")
    func mappedIPv4() throws {
        let block = try #require(CIDRBlock.parse("127.0.0.0/8"))
        let mapped = fold([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 127, 0, 0, 1])
        #expect(block.contains(ipv6: mapped))
        let outside = fold([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 128, 0, 0, 1])
        #expect(!block.contains(ipv6: outside))
        // IPv4-compatible (::a.b.c.d, deprecated) and NAT64 forms are not mapped addresses.
        #expect(!block.contains(ipv6: fold([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 127, 0, 0, 1])))
        #expect(!block.contains(ipv6: fold([0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0, 127, 0, 0, 1])))
    }

    @Test("loopback default and listener trust helpers")
    func listenerTrust() {
        let listener = ListenerConfiguration(name: "l", address: SocketAddressSpec(host: "127.0.0.1", port: 1))
        #expect(listener.trusts(ipv4: 0x7F00_0001))
        #expect(!listener.trusts(ipv4: 0x0A00_0001))
        #expect(listener.trusts(ipv6: (0, 1)))
        #expect(listener.trusts(ipv6: (0, 0xFFFF_7F00_0001)))
        var nobody = listener
        nobody.trustedCIDRs = []
        #expect(!nobody.trusts(ipv4: 0x7F00_0001))
    }

    @Test("programmatic initialisers validate the prefix length")
    func initialisers() {
        #expect(CIDRBlock(ipv4: 0x0A01_0203, prefixLength: 8)?.description == "10.0.0.0/8")
        #expect(CIDRBlock(ipv4: 0, prefixLength: 33) == nil)
        #expect(CIDRBlock(ipv6: (0, 1), prefixLength: 129) == nil)
        #expect(CIDRBlock(ipv6: (.max, .max), prefixLength: 0)?.description == "::/0")
    }
}

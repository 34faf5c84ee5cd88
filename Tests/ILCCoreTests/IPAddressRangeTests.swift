import ILCCore
import Testing

@Suite struct IPAddressRangeTests {
    @Test func readsAddressesAndPrefixes() {
        #expect(IPAddressRange(parsing: "10.0.0.0/8") == IPAddressRange([10, 0, 0, 0], 8))
        #expect(IPAddressRange(parsing: "192.0.2.7") == IPAddressRange([192, 0, 2, 7], 32))
        #expect(IPAddressRange(parsing: "::1")?.length == 128)
        #expect(IPAddressRange(parsing: "fd00::/8")?.base.first == 0xfd)
        for bad in ["", "10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "fd00::/129", "example.org", "10.0.0.0/-1", "1.2.3.4/8/8"] {
            #expect(IPAddressRange(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func containsWhatItsPrefixCovers() throws {
        let private10 = try #require(IPAddressRange(parsing: "10.0.0.0/8"))
        #expect(private10.contains([10, 200, 3, 4]))
        #expect(!private10.contains([11, 0, 0, 1]))
        let odd = try #require(IPAddressRange(parsing: "172.16.0.0/12"))
        #expect(odd.contains([172, 31, 255, 255]))
        #expect(!odd.contains([172, 32, 0, 0]))
        let ipv6 = try #require(IPAddressRange(parsing: "2001:db8::/32"))
        #expect(ipv6.contains(try #require(IPAddressRange.address("2001:db8:ffff::1"))))
        #expect(!ipv6.contains([10, 0, 0, 1]), "an IPv4 address is never in an IPv6 range")
        #expect(try #require(IPAddressRange(parsing: "0.0.0.0/0")).contains([203, 0, 113, 1]))
    }
}

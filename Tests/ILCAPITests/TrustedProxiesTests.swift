import ILCCore
import Testing

@testable import ILCAPI

@Suite struct TrustedProxiesTests {
    let proxies = TrustedProxies([IPAddressRange([10, 0, 0, 0], 8), IPAddressRange([127, 0, 0, 1], 32)])

    func address(_ text: String) throws -> [UInt8] {
        try #require(IPAddressRange.address(text))
    }

    @Test func readsAListAndNamesABadItem() throws {
        #expect(try TrustedProxies(parsing: " 10.0.0.0/8, 127.0.0.1 ,, ") == proxies)
        #expect(try TrustedProxies(parsing: "").ranges.isEmpty)
        #expect(throws: ValidationError(field: "trusted proxies", message: "'10.0.0.0/40' is no IP address or prefix such as 10.0.0.0/8")) {
            try TrustedProxies(parsing: "127.0.0.1, 10.0.0.0/40")
        }
    }

    @Test func believesForwardedForOnlyFromTrustedProxies() throws {
        let outsider = try address("198.51.100.7")
        #expect(proxies.client(peer: outsider, forwardedFor: ["203.0.113.9"]) == outsider, "anyone could claim any address")
        #expect(proxies.client(peer: try address("10.1.2.3"), forwardedFor: []) == (try address("10.1.2.3")))
        #expect(proxies.client(peer: nil, forwardedFor: ["203.0.113.9"]) == nil)
    }

    @Test func walksTheChainFromTheRight() throws {
        let peer = try address("127.0.0.1")
        // The client put a made-up address first; the proxies appended what they saw.
        let chain = ["192.0.2.66, 203.0.113.9", "10.0.0.5"]
        #expect(proxies.client(peer: peer, forwardedFor: chain) == (try address("203.0.113.9")))
        #expect(proxies.client(peer: peer, forwardedFor: ["10.9.9.9, 10.0.0.5"]) == (try address("10.9.9.9")), "all proxies: the farthest")
        #expect(proxies.client(peer: peer, forwardedFor: ["203.0.113.9, unknown, 10.0.0.5"]) == (try address("10.0.0.5")))
        #expect(proxies.client(peer: peer, forwardedFor: ["198.51.100.7:5123"]) == (try address("198.51.100.7")))
        #expect(proxies.client(peer: peer, forwardedFor: ["[2001:db8::5]:443"]) == (try address("2001:db8::5")))
        #expect(proxies.client(peer: peer, forwardedFor: ["2001:db8::5"]) == (try address("2001:db8::5")))
    }

    @Test func countsIPv6ClientsByTheir64() throws {
        let one = try #require(ClientAddress(try address("2001:db8:1:2:aaaa::1")))
        let sameNetwork = try #require(ClientAddress(try address("2001:db8:1:2:ffff::9")))
        let otherNetwork = try #require(ClientAddress(try address("2001:db8:1:3::1")))
        #expect(one == sameNetwork)
        #expect(one != otherNetwork)
        #expect(one.text == "2001:db8:1:2::/64")
        #expect(ClientAddress(try address("::ffff:192.0.2.1"))?.text == "192.0.2.1")
        #expect(ClientAddress([1, 2, 3]) == nil)
    }
}

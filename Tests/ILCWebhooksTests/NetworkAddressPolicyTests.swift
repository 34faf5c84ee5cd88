import ILCWebhooks
import NIOCore
import Testing

@Suite struct NetworkAddressPolicyTests {
    static func bytes(_ text: String) throws -> [UInt8] {
        switch try SocketAddress(ipAddress: text, port: 0) {
        case .v4(let address): return withUnsafeBytes(of: address.address.sin_addr) { Array($0) }
        case .v6(let address): return withUnsafeBytes(of: address.address.sin6_addr) { Array($0) }
        case .unixDomainSocket: return []
        }
    }

    @Test(arguments: [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "::1", "::", "fe80::1", "fd00::1", "fc00::2",
        "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "2001:db8::1",
    ])
    func refusesSpecialPurposeAddresses(address: String) throws {
        #expect(!NetworkAddressPolicy().permits(try Self.bytes(address)))
    }

    @Test(arguments: ["93.184.215.14", "8.8.8.8", "172.32.0.1", "192.169.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])
    func allowsPublicAddresses(address: String) throws {
        #expect(NetworkAddressPolicy().permits(try Self.bytes(address)))
    }

    @Test func anOperatorCanAllowPrivateRangesButNeverMulticastOrUnspecified() throws {
        let policy = NetworkAddressPolicy(allowsPrivateNetworks: true)
        #expect(policy.permits(try Self.bytes("127.0.0.1")))
        #expect(policy.permits(try Self.bytes("10.0.0.8")))
        #expect(policy.permits(try Self.bytes("::1")))
        #expect(!policy.permits(try Self.bytes("0.0.0.0")))
        #expect(!policy.permits(try Self.bytes("239.1.1.1")))
        #expect(!policy.permits(try Self.bytes("ff02::1")))
    }

    @Test func registrationRefusesNamesThatResolveToLoopback() async throws {
        let check = WebhookAddressCheck(policy: NetworkAddressPolicy())
        let refusal = await check.refusal(of: try WebhookURL.parse("http://localhost:9/hook").get())
        #expect(refusal?.contains("loopback, private or reserved") == true)
        #expect(await check.refusal(of: try WebhookURL.parse("https://10.0.0.1/hook").get()) != nil)
        // Not resolvable now: accepted here, checked again at every delivery.
        #expect(await check.refusal(of: try WebhookURL.parse("https://no-such-host.invalid/hook").get()) == nil)
        let permissive = WebhookAddressCheck(policy: NetworkAddressPolicy(allowsPrivateNetworks: true))
        #expect(await permissive.refusal(of: try WebhookURL.parse("http://localhost:9/hook").get()) == nil)
    }
}

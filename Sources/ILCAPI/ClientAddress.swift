import ILCCore

/// Who sent the request, as far as limits care: the client's IP address (see
/// `TrustedProxies`), with IPv6 clients counted per /64, since one host is usually
/// given a whole /64 and could otherwise step through its addresses.
struct ClientAddress: Sendable, Hashable {
    let bytes: [UInt8]

    /// `address`, 4 or 16 bytes; an IPv4-mapped IPv6 address counts as its IPv4 address.
    init?(_ address: [UInt8]) {
        switch address.count {
        case 4:
            bytes = address
        case 16 where Self.mappedIPv4.contains(address):
            bytes = Array(address[12...])
        case 16:
            bytes = Array(address[..<8]) + Array(repeating: 0, count: 8)
        default:
            return nil
        }
    }

    /// The address as text (an IPv6 client as its /64), for logs and Redis keys.
    var text: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }

    /// The client of the request being handled; nil when the API cannot tell (router
    /// tests, Unix sockets). Generated handlers do not see Hummingbird's context, so
    /// `ClientAddressMiddleware` hands it down like `RequestPrincipal`.
    @TaskLocal static var current: ClientAddress?

    private static let mappedIPv4 = IPAddressRange([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0], 96)
}

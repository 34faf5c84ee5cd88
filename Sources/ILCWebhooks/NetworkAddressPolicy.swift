import ILCCore

/// Which addresses webhooks may be sent to. By default only public unicast ones:
/// a partner must not be able to make the service call its own loopback, the
/// operator's private network or a cloud metadata address (server-side request
/// forgery). An operator can allow private ranges (a test receiver, an on-premises
/// partner) with `allowsPrivateNetworks`.
public struct NetworkAddressPolicy: Sendable, Equatable {
    public var allowsPrivateNetworks: Bool

    public init(allowsPrivateNetworks: Bool = false) {
        self.allowsPrivateNetworks = allowsPrivateNetworks
    }

    /// True when `address` (4 or 16 bytes, network order) may be called.
    public func permits(_ address: [UInt8]) -> Bool {
        if allowsPrivateNetworks {
            // Still never "this host, any address" or multicast: neither is a receiver.
            return !Self.isUnspecifiedOrMulticast(address)
        }
        return Self.isPublic(address)
    }

    /// Public unicast: none of the special-purpose ranges of RFC 6890 and its updates.
    static func isPublic(_ address: [UInt8]) -> Bool {
        switch address.count {
        case 4:
            return !ipv4Reserved.contains { $0.contains(address) }
        case 16:
            // IPv4-mapped (::ffff:0:0/96) and NAT64 (64:ff9b::/96) carry an IPv4 address.
            if mappedIPv4.contains(address) || nat64.contains(address) {
                return isPublic(Array(address[12...]))
            }
            return !ipv6Reserved.contains { $0.contains(address) }
        default:
            return false
        }
    }

    static func isUnspecifiedOrMulticast(_ address: [UInt8]) -> Bool {
        switch address.count {
        case 4: return address.allSatisfy { $0 == 0 } || address[0] >= 224
        case 16: return address.allSatisfy { $0 == 0 } || address[0] == 0xff
        default: return true
        }
    }

    private static let ipv4Reserved: [IPAddressRange] = [
        IPAddressRange([0, 0, 0, 0], 8),  // "this network"
        IPAddressRange([10, 0, 0, 0], 8),  // private
        IPAddressRange([100, 64, 0, 0], 10),  // carrier-grade NAT
        IPAddressRange([127, 0, 0, 0], 8),  // loopback
        IPAddressRange([169, 254, 0, 0], 16),  // link-local, cloud metadata
        IPAddressRange([172, 16, 0, 0], 12),  // private
        IPAddressRange([192, 0, 0, 0], 24),  // IETF protocol assignments
        IPAddressRange([192, 0, 2, 0], 24),  // documentation
        IPAddressRange([192, 88, 99, 0], 24),  // 6to4 relay anycast
        IPAddressRange([192, 168, 0, 0], 16),  // private
        IPAddressRange([198, 18, 0, 0], 15),  // benchmarking
        IPAddressRange([198, 51, 100, 0], 24),  // documentation
        IPAddressRange([203, 0, 113, 0], 24),  // documentation
        IPAddressRange([224, 0, 0, 0], 4),  // multicast
        IPAddressRange([240, 0, 0, 0], 4),  // reserved, broadcast
    ]

    private static let mappedIPv4 = IPAddressRange([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0], 96)
    private static let nat64 = IPAddressRange([0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 96)

    private static let ipv6Reserved: [IPAddressRange] = [
        IPAddressRange([UInt8](repeating: 0, count: 16), 96),  // unspecified, loopback, IPv4-compatible
        IPAddressRange([0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 64),  // discard-only
        IPAddressRange([0x20, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 23),  // IETF protocol assignments
        IPAddressRange([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 32),  // documentation
        IPAddressRange([0x20, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 16),  // 6to4: may embed any IPv4
        IPAddressRange([0xfc, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 7),  // unique local
        IPAddressRange([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 10),  // link-local
        IPAddressRange([0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 8),  // multicast
    ]
}

extension NetworkAddressPolicy {
    /// The operator's choice for `ilc-api` and `ilc-worker`: the flag, or
    /// `ILC_WEBHOOK_ALLOW_PRIVATE_NETWORKS` set to 1, true or yes.
    public static func configured(allowingPrivateNetworks flag: Bool, environment: [String: String]) -> NetworkAddressPolicy {
        let setting = environment["ILC_WEBHOOK_ALLOW_PRIVATE_NETWORKS"]?.lowercased() ?? ""
        return NetworkAddressPolicy(allowsPrivateNetworks: flag || ["1", "true", "yes"].contains(setting))
    }
}

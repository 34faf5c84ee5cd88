#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address prefix: the first `length` bits of `base` (4 bytes for IPv4, 16 for
/// IPv6, network order). Used for the webhook address policy and for the API's trusted
/// proxies.
public struct IPAddressRange: Sendable, Equatable {
    public let base: [UInt8]
    public let length: Int

    public init(_ base: [UInt8], _ length: Int) {
        self.base = base
        self.length = length
    }

    /// `10.0.0.0/8`, `fd00::/8`, or a single address (`192.0.2.1`, `::1`); nil for
    /// anything else, including a prefix longer than the address.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = Self.address(String(parts[0])) else { return nil }
        var length = address.count * 8
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...length).contains(given) else { return nil }
            length = given
        }
        self.init(address, length)
    }

    public func contains(_ address: [UInt8]) -> Bool {
        guard address.count == base.count else { return false }
        var remaining = length
        for index in base.indices where remaining > 0 {
            let bits = min(remaining, 8)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            if address[index] & mask != base[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// The bytes of an IPv4 or IPv6 address in text (no port, no zone); nil when it is none.
    public static func address(_ text: String) -> [UInt8]? {
        if let bytes = convert(text, family: AF_INET, count: 4) { return bytes }
        return convert(text, family: AF_INET6, count: 16)
    }

    private static func convert(_ text: String, family: Int32, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let converted = bytes.withUnsafeMutableBytes { buffer in
            text.withCString { inet_pton(family, $0, buffer.baseAddress) }
        }
        return converted == 1 ? bytes : nil
    }
}

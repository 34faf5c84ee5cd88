#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

extension SocketAddress {
    /// The IP address in network order (4 or 16 bytes; none for a Unix socket), for
    /// `NetworkAddressPolicy` and `IPAddressRange`.
    public var addressBytes: [UInt8] {
        switch self {
        case .v4(let ipv4):
            return withUnsafeBytes(of: ipv4.address.sin_addr) { Array($0) }
        case .v6(let ipv6):
            return withUnsafeBytes(of: ipv6.address.sin6_addr) { Array($0) }
        case .unixDomainSocket:
            return []
        }
    }
}

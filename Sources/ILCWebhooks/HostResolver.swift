#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// Turns a host name into addresses with the system resolver (getaddrinfo), on NIO's
/// thread pool so no event loop or cooperative thread blocks. An IP literal is its own
/// answer.
enum HostResolver {
    static func resolve(host: String, port: Int) async throws -> [SocketAddress] {
        if let literal = try? SocketAddress(ipAddress: host, port: port) {
            return [literal]
        }
        return try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            hints.ai_family = AF_UNSPEC
            var list: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, String(port), &hints, &list)
            guard status == 0, let first = list else {
                throw WebhookSendError.unresolvable(host: host)
            }
            defer { freeaddrinfo(first) }
            var addresses: [SocketAddress] = []
            var cursor: UnsafeMutablePointer<addrinfo>? = first
            while let entry = cursor {
                if let address = entry.pointee.ai_addr {
                    switch Int32(address.pointee.sa_family) {
                    case AF_INET:
                        let ipv4 = UnsafeRawPointer(address).load(as: sockaddr_in.self)
                        addresses.append(SocketAddress(ipv4, host: host))
                    case AF_INET6:
                        let ipv6 = UnsafeRawPointer(address).load(as: sockaddr_in6.self)
                        addresses.append(SocketAddress(ipv6, host: host))
                    default:
                        break
                    }
                }
                cursor = entry.pointee.ai_next
            }
            return addresses
        }
    }
}

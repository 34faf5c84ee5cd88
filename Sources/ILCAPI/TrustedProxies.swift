import Foundation
import ILCCore

/// The proxies (load balancers, ingress controllers) whose `X-Forwarded-For` the API
/// believes. Behind one, every connection comes from the proxy, so without this the
/// limit on failed key checks per client would count all partners as one. Nobody else's
/// header is believed: a client could otherwise name any address and dodge the limit.
public struct TrustedProxies: Sendable, Equatable {
    public let ranges: [IPAddressRange]

    public init(_ ranges: [IPAddressRange] = []) {
        self.ranges = ranges
    }

    /// A comma-separated list of addresses and prefixes (`10.0.0.0/8, 192.0.2.7, fd00::/8`);
    /// an empty list trusts no proxy.
    public init(parsing list: String) throws(ValidationError) {
        var ranges: [IPAddressRange] = []
        for item in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            guard let range = IPAddressRange(parsing: item) else {
                throw ValidationError(field: "trusted proxies", message: "'\(item)' is no IP address or prefix such as 10.0.0.0/8")
            }
            ranges.append(range)
        }
        self.init(ranges)
    }

    func trusts(_ address: [UInt8]) -> Bool {
        ranges.contains { $0.contains(address) }
    }

    /// The client's address: the peer, unless the peer is a trusted proxy; then the
    /// nearest address in `X-Forwarded-For` (read from the right, as each proxy appends
    /// the one it saw) that is not itself a trusted proxy. An entry that is no address
    /// ends the walk at the hop that wrote it.
    func client(peer: [UInt8]?, forwardedFor: [String]) -> [UInt8]? {
        guard let peer else { return nil }
        var client = peer
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.reversed()
        for hop in hops {
            guard trusts(client), let address = Self.address(hop.trimmingCharacters(in: .whitespaces)) else { break }
            client = address
        }
        return client
    }

    /// An address as proxies write it: bare, IPv4 with a port, or IPv6 in brackets with one.
    static func address(_ text: String) -> [UInt8]? {
        if let address = IPAddressRange.address(text) { return address }
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") {
            return IPAddressRange.address(String(text[text.index(after: text.startIndex)..<end]))
        }
        if let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon {
            return IPAddressRange.address(String(text[..<colon]))
        }
        return nil
    }
}

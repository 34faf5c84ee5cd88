import NIOCore
import NIOPosix

/// Loopback ports the kernel just handed out, so test servers collide with nothing.
public enum FreePort {
    public static func next() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port
        try await channel.close()
        guard let port else { throw FreePortError() }
        return port
    }
}

struct FreePortError: Error, CustomStringConvertible {
    var description: String { "the kernel handed out no port" }
}

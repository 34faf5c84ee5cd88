import Foundation
import ILCRedis
import NIOPosix

/// The shared Redis of `ops/services` (from ILC_REDIS_URL), with a key prefix per
/// test so tests can run in parallel.
enum SharedRedis {
    static func configuration() throws -> RedisConfiguration {
        try RedisConfiguration.fromEnvironment("ILC_REDIS_URL")
    }

    static func withClient<Result: Sendable>(_ body: (RedisClient, String) async throws -> Result) async throws -> Result {
        let client = RedisClient(configuration: try configuration())
        let prefix = "test:\(UUID().uuidString):"
        do {
            let result = try await body(client, prefix)
            await cleanUp(client, prefix: prefix)
            return result
        } catch {
            await cleanUp(client, prefix: prefix)
            throw error
        }
    }

    private static func cleanUp(_ client: RedisClient, prefix: String) async {
        if let keys = try? await client.send(RedisCommand("KEYS", .string(prefix + "*"))).array, !keys.isEmpty {
            _ = try? await client.send(RedisCommand("DEL", arguments: keys.compactMap { $0.bytes.map(RedisArgument.bytes) }))
        }
        await client.close()
    }
}

/// A private redis-server process that a test may stop and start again, for
/// restart and authentication scenarios the shared server must not suffer.
final class RedisTestServer: @unchecked Sendable {
    let port: Int
    let password: String?
    private let directory: URL
    private var process: Process?

    init(password: String? = nil) async throws {
        self.port = try await Self.freePort()
        self.password = password
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("ilc-redis-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        process?.terminate()
        try? FileManager.default.removeItem(at: directory)
    }

    var configuration: RedisConfiguration {
        RedisConfiguration(host: "127.0.0.1", port: port, password: password, reconnectTimeout: .seconds(15))
    }

    func start() async throws {
        let process = Process()
        process.executableURL = try Self.redisServerPath()
        var arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", directory.path, "--daemonize", "no", "--loglevel", "warning",
        ]
        if let password { arguments += ["--requirepass", password] }
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        // Ready when it accepts connections.
        for _ in 0..<100 {
            if let connection = try? await RedisConnection.connect(to: RedisConfiguration(host: "127.0.0.1", port: port)) {
                await connection.close()
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw RedisError.connectionFailed("test redis-server on port \(port) did not start")
    }

    /// SIGKILL: the server vanishes without closing connections politely.
    func kill() async throws {
        guard let process else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// A port the kernel just handed out, so the server does not collide with anything.
    private static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port
        try await channel.close()
        guard let port else { throw RedisError.connectionFailed("no free port") }
        return port
    }

    private static func redisServerPath() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"] {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent("redis-server")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        throw RedisError.connectionFailed("redis-server not found on PATH (ops/setup installs it)")
    }
}

import Foundation
import ILCRedis
import NIOPosix

/// A private redis-server process that a test may stop and start again, for
/// restart and authentication scenarios the shared server must not suffer.
public final class RedisTestServer: @unchecked Sendable {
    public let port: Int
    public let password: String?
    private let directory: URL
    private var process: Process?
    private var exit: ProcessExit?

    public init(password: String? = nil) async throws {
        self.port = try await FreePort.next()
        self.password = password
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("ilc-redis-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        // SIGKILL: a child of the test process may inherit SIGTERM ignored, and this
        // server keeps nothing worth a clean shutdown.
        if let process, process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }

    public var configuration: RedisConfiguration {
        RedisConfiguration(host: "127.0.0.1", port: port, password: password, reconnectTimeout: .seconds(15))
    }

    public func start() async throws {
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
        let exit = ProcessExit(process)
        try process.run()
        self.process = process
        self.exit = exit
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

    /// SIGSTOP: the server keeps its connections but answers nothing, as a hung host does.
    public func pause() {
        if let process { Foundation.kill(process.processIdentifier, SIGSTOP) }
    }

    public func resume() {
        if let process { Foundation.kill(process.processIdentifier, SIGCONT) }
    }

    /// SIGKILL: the server vanishes without closing connections politely.
    public func kill() async throws {
        guard let process else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        _ = await exit?.wait()
        self.process = nil
        self.exit = nil
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

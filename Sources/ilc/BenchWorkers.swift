import Foundation
import NIOCore
import NIOPosix

/// The `ilc-worker` processes of a benchmark, started next to this `ilc` binary.
final class BenchWorkers: Sendable {
    private let processes: [Process]
    /// Signalled by each process's termination handler. (`waitUntilExit()` spins a run
    /// loop on Linux and would steal CPU from the workers being measured.)
    private let exits: AsyncStream<Void>

    init(count: Int, concurrency: Int, types: String = "noop", databaseURL: String?, redisURL: String?) throws {
        let executable = try Self.sibling("ilc-worker")
        var arguments = [
            "--concurrency", String(concurrency), "--types", types, "--log-level", "warning", "--metrics-port", "0",
        ]
        if let databaseURL { arguments += ["--database-url", databaseURL] }
        if let redisURL { arguments += ["--redis-url", redisURL] }
        let (exits, exited) = AsyncStream<Void>.makeStream()
        self.exits = exits
        processes = try (0..<count).map { index in
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments + ["--id", "bench-\(index)"]
            process.terminationHandler = { _ in exited.yield() }
            try process.run()
            return process
        }
    }

    /// SIGTERM, then waits (each worker drains gracefully).
    func stop() async {
        for process in processes where process.isRunning {
            process.terminate()
        }
        // Each process signals its exit exactly once, whenever it happened.
        var exited = 0
        for await _ in exits {
            exited += 1
            if exited == processes.count { break }
        }
    }
}

extension BenchWorkers {
    /// An executable built next to this `ilc` binary.
    static func sibling(_ name: String) throws -> URL {
        let directory = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0]))
            .resolvingSymlinksInPath().deletingLastPathComponent()
        let executable = directory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw BenchSetupError("\(name) not found next to ilc (\(executable.path)); build it: swift build -c release")
        }
        return executable
    }
}

extension BenchWorkers {
    /// A loopback port nothing listens on right now, for a server a command starts.
    static func freeLoopbackPort() async throws -> Int {
        let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = probe.localAddress?.port ?? 0
        try await probe.close()
        return port
    }
}

struct BenchSetupError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

import Foundation
import ILCCore
import ILCRedis
import ILCStore

/// What the scenarios of `ilc verify` share: the servers under test (PostgreSQL and
/// Redis of `ops/services`, which scenarios crash and restart), one `ilc-api`, the
/// workers each scenario starts, and direct connections for checking outcomes.
final class VerifyLab: Sendable {
    let database: Database
    let redis: RedisClient
    let servicesScript: String
    let logDirectory: String
    /// Added to every worker's arguments (`--break reaper` turns recovery off here).
    let workerArguments: [String]
    let apiPort: Int
    private let api: VerifyProcess

    static let leaseSeconds = 3
    /// The API's, short so the slow-client scenario is quick.
    static let idleTimeoutSeconds = 3
    static let keyCacheSeconds = 2

    private init(
        database: Database, redis: RedisClient, servicesScript: String, logDirectory: String, workerArguments: [String],
        api: VerifyProcess, apiPort: Int
    ) {
        self.database = database
        self.redis = redis
        self.servicesScript = servicesScript
        self.logDirectory = logDirectory
        self.workerArguments = workerArguments
        self.api = api
        self.apiPort = apiPort
    }

    /// Starts `ilc-api` (no server-wide rate limit: scenarios set tenants' own) and waits
    /// until it is ready.
    static func start(
        database: Database, redis: RedisClient, servicesScript: String, logDirectory: String, breakReaper: Bool
    ) async throws -> VerifyLab {
        let port = try await BenchWorkers.freeLoopbackPort()
        let api = try VerifyProcess(
            name: "api", executable: try BenchWorkers.sibling("ilc-api"),
            arguments: [
                "--host", "127.0.0.1", "--port", String(port), "--rate-limit", "0", "--key-cache-seconds", String(keyCacheSeconds),
                "--idle-timeout", String(idleTimeoutSeconds),
                // As behind a load balancer: scenarios name their client in X-Forwarded-For.
                "--trusted-proxies", "127.0.0.1", "--auth-failures-per-client", String(VerifyKeyGuessing.perClient),
            ],
            logDirectory: logDirectory)
        // Leases short enough that recovery fits a scenario; "broken", maintenance (which
        // reclaims expired leases) never comes round.
        let maintenance = breakReaper ? "86400" : "1"
        let lab = VerifyLab(
            database: database, redis: redis, servicesScript: servicesScript, logDirectory: logDirectory,
            // The webhook scenario's receiver listens on loopback.
            workerArguments: [
                "--lease-seconds", String(leaseSeconds), "--maintenance-seconds", maintenance, "--metrics-port", "0",
                "--webhook-allow-private-networks",
            ],
            api: api, apiPort: port)
        let client = VerifyClient(port: port, key: nil)
        for _ in 0..<300 {
            if let answer = try? await client.send("GET", "/readyz", timeout: 2), answer.status == 200 { return lab }
            guard api.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        await api.stop()
        throw VerifyFailure("ilc-api did not become ready:\n\(api.logTail())")
    }

    func stop() async {
        await api.stop()
    }

    /// An `ilc-worker` for `types` (nil: every type it knows), with the lab's settings and
    /// `environment` added.
    func startWorker(_ name: String, types: String? = "report-generation", concurrency: Int = 4, environment: [String: String] = [:]) throws
        -> VerifyProcess
    {
        try VerifyProcess(
            name: name, executable: try BenchWorkers.sibling("ilc-worker"),
            arguments: ["--id", name, "--concurrency", String(concurrency), "--grace", "20"] + (types.map { ["--types", $0] } ?? [])
                + workerArguments,
            environment: environment, logDirectory: logDirectory)
    }

    /// Runs `ops/services ARGUMENTS…` and answers what it printed. Output goes through
    /// a file, not a pipe: a server it starts could keep a pipe open for ever.
    @discardableResult
    func services(_ arguments: String...) async throws -> String {
        let output = logDirectory + "/services-output.txt"
        let process = try VerifyProcess(
            name: "services", executable: URL(fileURLWithPath: servicesScript), arguments: arguments,
            logDirectory: logDirectory, outputPath: output)
        let status = await process.waitForExit(timeout: .seconds(120))
        guard status == 0 else {
            throw VerifyFailure("ops/services \(arguments.joined(separator: " ")) exited \(status.map(String.init) ?? "late")")
        }
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    /// The Redis server's process id, from `INFO server`.
    func redisPID() async throws -> Int32 {
        let info = try await redis.send(RedisCommand("INFO", "server")).string ?? ""
        guard let line = info.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("process_id:") }),
              let pid = Int32(line.dropFirst("process_id:".count).trimmingCharacters(in: .whitespaces))
        else { throw VerifyFailure("INFO server named no process_id") }
        return pid
    }

    /// A step of the scenario running, on stderr, so a stuck run shows where it is.
    func note(_ step: String) {
        FileHandle.standardError.write(Data("verify:   · \(step)\n".utf8))
    }

    /// Retries a check through brief database outages (scenarios crash it on purpose).
    func retrying<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch where Database.isUnavailable(error) && attempt < 60 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }
}

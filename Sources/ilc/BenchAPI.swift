import ArgumentParser
import Foundation
import ILCCore
import ILCQueue
import ILCRedis
import ILCStore
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The Partner API under load, over real HTTP against a real `ilc-api` process: bulk
/// intake (survey responses stored per second through the batch endpoint) and job
/// polling (`GET /v1/jobs/{id}` requests per second and their latency).
struct BenchAPI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Start ilc-api, post intake batches and poll a job over HTTP, report rows/s, requests/s and latency.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Intake batches to post (each a JSON array).")
    var batches = 20

    @Option(help: "Survey responses per batch (at most 5000).")
    var batchSize = 5_000

    @Option(help: "Connections posting intake batches at once.")
    var intakeConnections = 4

    @Option(help: "Connections polling the job at once.")
    var connections = 64

    @Option(help: "Seconds the polling run lasts.")
    var seconds = 10

    func validate() throws {
        guard batches > 0, (1...5_000).contains(batchSize), intakeConnections > 0, connections > 0, seconds > 0 else {
            throw ValidationError("--batches, --intake-connections, --connections and --seconds must be positive; --batch-size 1…5000")
        }
    }

    func run() async throws {
        let logger = connection.logger
        let redis = RedisClient(configuration: try connection.redisConfiguration(), logger: logger)
        let report: String
        do {
            report = try await measureWithServer(redis: redis, logger: logger)
            await redis.close()
        } catch {
            await redis.close()
            throw error
        }
        print(report)
    }

    private func measureWithServer(redis: RedisClient, logger: Logger) async throws -> String {
        try await Database.connectForCommand(configuration: try connection.databaseConfiguration(), logger: logger) { database in
            let queues = JobQueues(database: database, redis: redis, logger: logger)
            let run = BenchRun(database: database, queue: try queues.queue(for: "noop"), logger: logger)
            let tenant = try await run.createTenants(1)[0]
            let server: BenchAPIServer
            do {
                server = try await BenchAPIServer.start(databaseURL: connection.databaseURL, redisURL: connection.redisURL)
            } catch {
                try? await run.deleteTenants([tenant])
                throw error
            }
            do {
                let report = try await measure(database: database, queues: queues, tenant: tenant, port: server.port)
                await server.stop()
                try await run.deleteTenants([tenant])
                return report
            } catch {
                await server.stop()
                try? await run.deleteTenants([tenant])
                throw error
            }
        }
    }

    private func measure(database: Database, queues: JobQueues, tenant: UUID, port: Int) async throws -> String {
        let key = try await APIKeyStore(database: database).createTenantKey(
            tenantID: tenant, name: "bench", scopes: [.read, .surveysWrite]).token
        let cycle = try await CycleStore(database: database).create(
            tenantID: tenant, name: "bench", startsOn: nil, endsOn: nil, settings: CycleSettings())
        // A job type no worker runs: it stays queued, as a partner's long job looks while polled.
        let job = try await queues.queue(for: "report").enqueue(JobRequest(type: "report"), tenantID: tenant)
        var headers = HTTPHeaders([("Authorization", "Bearer \(key)"), ("Host", "127.0.0.1")])

        let bodies = (0..<batches).map { Self.batch($0, size: batchSize) }
        headers.add(name: "Content-Type", value: "application/json")
        let intakeURI = "/v1/cycles/\(cycle.id.uuidString.lowercased())/survey-responses"
        let nextBatch = BenchCounter()
        let clock = ContinuousClock()
        let intakeStart = clock.now
        let intake = try await withThrowingTaskGroup(of: [(Double, Bool)].self) { group in
            for _ in 0..<intakeConnections {
                group.addTask { [headers] in
                    try await BenchHTTPConnection.connect(host: "127.0.0.1", port: port).run { send in
                        var timings: [(Double, Bool)] = []
                        while true {
                            let index = nextBatch.take()
                            guard index < bodies.count else { return timings }
                            let started = clock.now
                            let answer = try await send(.POST, intakeURI, headers, bodies[index])
                            timings.append((Self.milliseconds(started.duration(to: clock.now)), answer.status == 200))
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let intakeSeconds = Self.milliseconds(intakeStart.duration(to: clock.now)) / 1_000

        headers.remove(name: "Content-Type")
        let jobURI = "/v1/jobs/\(job.id.uuidString.lowercased())"
        let deadline = clock.now + .seconds(seconds)
        let pollStart = clock.now
        let polls = try await withThrowingTaskGroup(of: [(Double, Bool)].self) { group in
            for _ in 0..<connections {
                group.addTask { [headers] in
                    try await BenchHTTPConnection.connect(host: "127.0.0.1", port: port).run { send in
                        var timings: [(Double, Bool)] = []
                        while clock.now < deadline {
                            let started = clock.now
                            let answer = try await send(.GET, jobURI, headers, nil)
                            timings.append((Self.milliseconds(started.duration(to: clock.now)), answer.status == 200))
                        }
                        return timings
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let pollSeconds = Self.milliseconds(pollStart.duration(to: clock.now)) / 1_000

        let stored = try await database.withTenantTransaction(tenant) { transaction in
            try await transaction.query("SELECT count(*) FROM survey_responses")[0].decode(Int.self)
        }
        let intakeLatencies = intake.map(\.0).sorted()
        let pollLatencies = polls.map(\.0).sorted()
        return TextTable.render(
            header: ["measure", "value"],
            rows: [
                ["intake", "\(batches) batches × \(batchSize) responses over \(intakeConnections) connections"],
                ["intake responses stored", "\(stored)"],
                ["intake failed batches", "\(intake.filter { !$0.1 }.count)"],
                ["intake responses/s", String(format: "%.0f", Double(stored) / intakeSeconds)],
                ["intake batch p50 / p99 (ms)", String(format: "%.1f / %.1f", Self.percentile(intakeLatencies, 0.5), Self.percentile(intakeLatencies, 0.99))],
                ["GET /v1/jobs/{id}", "\(connections) connections for \(seconds) s"],
                ["GET requests (non-200)", "\(polls.count) (\(polls.filter { !$0.1 }.count))"],
                ["GET requests/s", String(format: "%.0f", Double(polls.count) / pollSeconds)],
                ["GET p50 / p99 (ms)", String(format: "%.2f / %.2f", Self.percentile(pollLatencies, 0.5), Self.percentile(pollLatencies, 0.99))],
            ])
    }

    /// One batch body; external ids are unique across batches, so every row is a new response.
    static func batch(_ number: Int, size: Int) -> ByteBuffer {
        let roles = ParticipantRole.allCases.map(\.rawValue)
        let focus = ["Chronic absenteeism in grades 6-8 keeps rising", "Tier 1 math lessons miss students who are behind",
                     "Grading practices differ from class to class", "Students do not feel they belong at school"]
        var text = "["
        for index in 0..<size {
            if index > 0 { text += "," }
            let id = number * size + index
            text += #"{"participant":{"external_id":"bench-\#(id)","name":"Educator \#(id)","role":"\#(roles[id % roles.count])","district":"District \#(id % 40)","school":"School \#(id % 400)"},"focus_statement":"\#(focus[id % focus.count])","theme_preferences":["attendance"]}"#
        }
        text += "]"
        return ByteBuffer(string: text)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
    }

    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.down)))]
    }
}

/// Hands out 0, 1, 2, … to concurrent tasks.
final class BenchCounter: Sendable {
    private let next = Mutex(0)

    func take() -> Int {
        next.withLock { value in
            defer { value += 1 }
            return value
        }
    }
}

/// The `ilc-api` process a benchmark measures, on a free loopback port, without a rate limit.
final class BenchAPIServer: Sendable {
    let port: Int
    private let process: Process
    private let exited: AsyncStream<Void>

    private init(port: Int, process: Process, exited: AsyncStream<Void>) {
        self.port = port
        self.process = process
        self.exited = exited
    }

    static func start(databaseURL: String?, redisURL: String?) async throws -> BenchAPIServer {
        let port = try await BenchWorkers.freeLoopbackPort()
        var arguments = ["--host", "127.0.0.1", "--port", String(port), "--rate-limit", "0", "--log-level", "warning"]
        if let databaseURL { arguments += ["--database-url", databaseURL] }
        if let redisURL { arguments += ["--redis-url", redisURL] }
        let process = Process()
        process.executableURL = try BenchWorkers.sibling("ilc-api")
        process.arguments = arguments
        let (exits, exited) = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in exited.yield() }
        try process.run()
        let server = BenchAPIServer(port: port, process: process, exited: exits)
        for _ in 0..<100 {
            if let ready = try? await BenchHTTPConnection.connect(host: "127.0.0.1", port: port).run({ send in
                try await send(.GET, "/readyz", HTTPHeaders([("Host", "127.0.0.1")]), nil).status == 200
            }), ready {
                return server
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        await server.stop()
        throw BenchSetupError("ilc-api did not become ready on port \(port)")
    }

    func stop() async {
        if process.isRunning { process.terminate() }
        for await _ in exited { break }
    }
}

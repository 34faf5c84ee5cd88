import Foundation
import ILCCore
import ILCRedis
import Synchronization

/// A job Redis handed to a worker.
struct DispatchedJob: Sendable, Hashable {
    let tenantID: UUID
    let id: UUID
}

/// The Redis side of the queue: the functions of `queue.lua`, loaded on first use
/// and again whenever Redis has lost them.
struct DispatchIndex: Sendable {
    let redis: RedisClient
    let prefix: String
    let library: RedisFunctionLibrary
    /// Whether this process has installed its own version of the library yet.
    private let installed = LibraryInstallation()

    init(redis: RedisClient, configuration: QueueConfiguration) throws {
        self.redis = redis
        self.prefix = configuration.redisPrefix
        self.library = try Self.bundledLibrary.get()
    }

    /// Read from the bundle once per process, not once per queue.
    private static let bundledLibrary = Result<RedisFunctionLibrary, any Error> {
        guard let url = Bundle.module.url(forResource: "queue", withExtension: "lua") else {
            throw RedisError.invalidConfiguration("queue.lua is missing from the ILCQueue bundle")
        }
        return try RedisFunctionLibrary(source: try String(contentsOf: url, encoding: .utf8))
    }

    private func call(_ function: String, _ arguments: [RedisArgument]) async throws -> RedisValue {
        try await installLibrary()
        return try await redis.call(function, in: library, keys: [.string(prefix)], arguments: arguments)
    }

    /// Redis may hold another version of the library (an older deployment): the first
    /// call of each process installs its own, with the same function names.
    private func installLibrary() async throws {
        guard !installed.isDone else { return }
        try await redis.loadFunctions(library)
        installed.markDone()
    }

    private static func nowMilliseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }

    private static func entries(_ jobs: [SettledJob]) -> [RedisArgument] {
        jobs.flatMap { job -> [RedisArgument] in
            [
                .string(job.id.text), .string(job.tenantID.text), .integer(Int64(job.priority)),
                .integer(Int64(job.runAt.timeIntervalSince1970 * 1000)),
            ]
        }
    }

    /// Makes jobs dispatchable; jobs Redis already knows are left alone, so pushing
    /// twice never dispatches twice. Returns how many were new.
    @discardableResult
    func push(_ jobs: [SettledJob]) async throws -> Int {
        guard !jobs.isEmpty else { return 0 }
        let reply = try await call("ilc_push", [.integer(Self.nowMilliseconds())] + Self.entries(jobs))
        return Int(reply.integer ?? 0)
    }

    /// Takes up to `limit` jobs, fairly across tenants, each leased in Redis for
    /// `lease`. Also returns when the earliest delayed job falls due.
    func fetch(limit: Int, lease: Duration) async throws -> (jobs: [DispatchedJob], nextDue: Date?) {
        try Self.fetched(try await call("ilc_fetch", Self.fetchArguments(limit: limit, lease: lease)))
    }

    private static func fetchArguments(limit: Int, lease: Duration) -> [RedisArgument] {
        [.integer(nowMilliseconds()), .integer(Int64(limit)), .integer(lease.milliseconds)]
    }

    private static func fetched(_ reply: RedisValue) throws -> (jobs: [DispatchedJob], nextDue: Date?) {
        guard let values = reply.array, let first = values.first?.integer else {
            throw RedisError.unexpectedReply("ilc_fetch answered \(reply)")
        }
        var jobs: [DispatchedJob] = []
        jobs.reserveCapacity(values.count / 2)
        var index = 1
        while index + 1 < values.count {
            if let id = values[index].string.flatMap({ UUID(text: $0) }),
               let tenant = values[index + 1].string.flatMap({ UUID(text: $0) }) {
                jobs.append(DispatchedJob(tenantID: tenant, id: id))
            }
            index += 2
        }
        let nextDue = first >= 0 ? Date(timeIntervalSince1970: Double(first) / 1000) : nil
        return (jobs, nextDue)
    }

    /// Ends the leases of finished (or unclaimable) dispatched jobs, giving their
    /// tenants' in-flight slots back.
    func finish(_ jobs: [DispatchedJob]) async throws {
        guard !jobs.isEmpty else { return }
        _ = try await call("ilc_finish", jobs.flatMap { job -> [RedisArgument] in [.string(job.tenantID.text), .string(job.id.text)] })
    }

    /// Dispatched jobs wait again (retries, releases, reaped): their leases end.
    func requeue(_ jobs: [SettledJob]) async throws {
        guard !jobs.isEmpty else { return }
        _ = try await call("ilc_requeue", [.integer(Self.nowMilliseconds())] + Self.entries(jobs))
    }

    /// Which of `jobs` wait in Redis.
    func known(_ jobs: [SettledJob]) async throws -> Set<UUID> {
        guard !jobs.isEmpty else { return [] }
        let reply = try await call(
            "ilc_known",
            jobs.flatMap { job -> [RedisArgument] in
                [.string(job.id.text), .string(job.tenantID.text), .integer(Int64(job.priority))]
            })
        var known = Set<UUID>()
        for (index, flag) in (reply.array ?? []).enumerated() where flag.integer == 1 {
            known.insert(jobs[index].id)
        }
        return known
    }

    /// Leases whose deadline has passed: the jobs to ask PostgreSQL about.
    func leasesDue(limit: Int) async throws -> [DispatchedJob] {
        let reply = try await call("ilc_leases_due", [.integer(Self.nowMilliseconds()), .integer(Int64(limit))])
        return (reply.array ?? []).compactMap { value in
            guard let member = value.string else { return nil }
            let parts = member.split(separator: "|", maxSplits: 1)
            guard parts.count == 2, let tenant = UUID(text: String(parts[0])), let id = UUID(text: String(parts[1])) else {
                return nil
            }
            return DispatchedJob(tenantID: tenant, id: id)
        }
    }

    /// Moves the deadlines of leases PostgreSQL extended (leases already ended stay ended).
    func rearm(_ leases: [(job: DispatchedJob, deadline: Date)]) async throws {
        guard !leases.isEmpty else { return }
        _ = try await call("ilc_rearm", Self.leaseArguments(leases))
    }

    /// Adds the leases of running jobs Redis does not know (it lost its data); returns
    /// how many were missing.
    @discardableResult
    func restoreLeases(_ leases: [(job: DispatchedJob, deadline: Date)]) async throws -> Int {
        guard !leases.isEmpty else { return 0 }
        return Int(try await call("ilc_restore_leases", Self.leaseArguments(leases)).integer ?? 0)
    }

    private static func leaseArguments(_ leases: [(job: DispatchedJob, deadline: Date)]) -> [RedisArgument] {
        leases.flatMap { lease -> [RedisArgument] in
            [
                .integer(Int64(lease.deadline.timeIntervalSince1970 * 1000)), .string(lease.job.tenantID.text),
                .string(lease.job.id.text),
            ]
        }
    }

    /// Recounts capped tenants' in-flight jobs from the leases.
    func recountInFlight() async throws {
        _ = try await call("ilc_recount", [])
    }

    /// The tenants whose place in the schedule Redis remembers (they went idle at least once).
    func scheduledTenants() async throws -> Set<UUID> {
        let reply = try await redis.send(RedisCommand("HKEYS", .string(prefix + ":pass")))
        return Set((reply.array ?? []).compactMap { $0.string.flatMap { UUID(text: $0) } })
    }

    /// Drops the schedule state of these tenants; returns how many had some.
    @discardableResult
    func forget(_ tenants: Set<UUID>) async throws -> Int {
        guard !tenants.isEmpty else { return 0 }
        return Int(try await call("ilc_forget", tenants.map { .string($0.text) }).integer ?? 0)
    }

    /// Makes Redis hold exactly these settings: `settings` lists every tenant whose
    /// weight or cap differs from the default, and the others go back to the default.
    func applySettings(_ settings: [(tenantID: UUID, weight: Int, cap: Int?)]) async throws {
        _ = try await call(
            "ilc_settings",
            settings.flatMap { setting -> [RedisArgument] in
                [.string(setting.tenantID.text), .integer(Int64(setting.weight)), .integer(Int64(setting.cap ?? 0))]
            })
    }

    /// The epoch of Redis's data for this queue; `isNew` when Redis had lost it (or
    /// never had it) and everything must be pushed again from PostgreSQL.
    func epoch() async throws -> (epoch: String, isNew: Bool) {
        let reply = try await call("ilc_epoch", [.string(UUID().text)])
        guard let values = reply.array, values.count == 2, let epoch = values[0].string else {
            throw RedisError.unexpectedReply("ilc_epoch answered \(reply)")
        }
        return (epoch, values[1].integer == 1)
    }

    /// Ready and in-flight jobs per tenant.
    func depth() async throws -> [(tenantID: UUID, ready: Int, inFlight: Int)] {
        let values = try await call("ilc_depth", []).array ?? []
        var result: [(tenantID: UUID, ready: Int, inFlight: Int)] = []
        var index = 0
        while index + 2 < values.count {
            if let tenant = values[index].string.flatMap({ UUID(text: $0) }) {
                result.append((tenant, Int(values[index + 1].integer ?? 0), Int(values[index + 2].integer ?? 0)))
            }
            index += 3
        }
        return result
    }

    /// Blocks until a push or a fetch that left work behind wakes idle workers (or
    /// `timeout` passes), then fetches like `fetch`. Both commands go in one write, so
    /// Redis runs the fetch the moment the wait ends, not a round trip later; the
    /// fetch reads Redis's clock for due jobs and lease deadlines, since the one sent
    /// is as old as the wait.
    func waitThenFetch(
        on connection: RedisConnection, timeout: Duration, limit: Int, lease: Duration
    ) async throws -> (jobs: [DispatchedJob], nextDue: Date?) {
        try await installLibrary()
        let seconds = max(Double(timeout.milliseconds) / 1000, 0.01)
        let replies = try await connection.pipeline(
            [
                RedisCommand("BZPOPMIN", .string(prefix + ":marker"), .double(seconds)),
                .functionCall("ilc_fetch", keys: [.string(prefix)], arguments: Self.fetchArguments(limit: limit, lease: lease)),
            ], timeout: timeout + .seconds(5))
        switch replies.last {
        case .success(let reply)?:
            return try Self.fetched(reply)
        case .failure(let error)? where error.isFunctionNotFound:
            // Redis lost its functions while we waited: `fetch` loads them again.
            return try await fetch(limit: limit, lease: lease)
        case .failure(let error)?:
            throw error
        case nil:
            throw RedisError.protocolViolation("no reply for the fetch after BZPOPMIN")
        }
    }
}

/// A flag set once per process (per index), read on every call.
private final class LibraryInstallation: Sendable {
    private let done = Atomic<Bool>(false)

    var isDone: Bool { done.load(ordering: .acquiring) }

    func markDone() {
        done.store(true, ordering: .releasing)
    }
}

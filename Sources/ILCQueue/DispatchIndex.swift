import Foundation
import ILCRedis

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

    init(redis: RedisClient, configuration: QueueConfiguration) throws {
        self.redis = redis
        self.prefix = configuration.redisPrefix
        self.library = try Self.loadLibrary()
    }

    static func loadLibrary() throws -> RedisFunctionLibrary {
        guard let url = Bundle.module.url(forResource: "queue", withExtension: "lua") else {
            throw RedisError.invalidConfiguration("queue.lua is missing from the ILCQueue bundle")
        }
        return try RedisFunctionLibrary(source: try String(contentsOf: url, encoding: .utf8))
    }

    private func call(_ function: String, _ arguments: [RedisArgument]) async throws -> RedisValue {
        try await redis.call(function, in: library, keys: [.string(prefix)], arguments: arguments)
    }

    private static func nowMilliseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }

    private static func entries(_ jobs: [SettledJob]) -> [RedisArgument] {
        jobs.flatMap { job -> [RedisArgument] in
            [
                .string(job.id.uuidString), .string(job.tenantID.uuidString), .integer(Int64(job.priority)),
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

    /// Takes up to `limit` jobs, fairly across tenants, leased to `worker`.
    /// Also returns when the earliest delayed job falls due.
    func fetch(worker: String, lease: Duration, limit: Int) async throws -> (jobs: [DispatchedJob], nextDue: Date?) {
        let reply = try await call(
            "ilc_fetch",
            [.integer(Self.nowMilliseconds()), .string(worker), .integer(lease.milliseconds), .integer(Int64(limit))])
        guard let values = reply.array, let first = values.first?.integer else {
            throw RedisError.unexpectedReply("ilc_fetch answered \(reply)")
        }
        var jobs: [DispatchedJob] = []
        var index = 1
        while index + 1 < values.count {
            if let id = values[index].string.flatMap(UUID.init(uuidString:)),
               let tenant = values[index + 1].string.flatMap(UUID.init(uuidString:)) {
                jobs.append(DispatchedJob(tenantID: tenant, id: id))
            }
            index += 2
        }
        let nextDue = first >= 0 ? Date(timeIntervalSince1970: Double(first) / 1000) : nil
        return (jobs, nextDue)
    }

    /// Forgets jobs: finished, claimed elsewhere or unknown to PostgreSQL.
    func acknowledge(_ ids: [UUID]) async throws {
        guard !ids.isEmpty else { return }
        _ = try await call("ilc_ack", ids.map { .string($0.uuidString) })
    }

    /// Ends leases and makes the jobs wait again (retries, releases, reaped jobs).
    func requeue(_ jobs: [SettledJob]) async throws {
        guard !jobs.isEmpty else { return }
        _ = try await call("ilc_requeue", [.integer(Self.nowMilliseconds())] + Self.entries(jobs))
    }

    /// Extends this worker's Redis leases; returns the jobs it no longer holds there.
    func extend(_ ids: [UUID], worker: String, lease: Duration) async throws -> [UUID] {
        guard !ids.isEmpty else { return [] }
        let reply = try await call(
            "ilc_extend",
            [.integer(Self.nowMilliseconds()), .integer(lease.milliseconds), .string(worker)] + ids.map { .string($0.uuidString) })
        return (reply.array ?? []).compactMap { $0.string.flatMap(UUID.init(uuidString:)) }
    }

    /// Gives back the in-flight slots of leases past their deadline.
    func expireLeases(limit: Int) async throws -> Int {
        let reply = try await call("ilc_expire", [.integer(Self.nowMilliseconds()), .integer(Int64(limit))])
        return reply.array?.count ?? 0
    }

    /// Which of `ids` Redis tracks.
    func known(_ ids: [UUID]) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        let reply = try await call("ilc_known", ids.map { .string($0.uuidString) })
        var known = Set<UUID>()
        for (index, flag) in (reply.array ?? []).enumerated() where flag.integer == 1 {
            known.insert(ids[index])
        }
        return known
    }

    func applySettings(_ settings: [(tenantID: UUID, weight: Int, cap: Int?)]) async throws {
        guard !settings.isEmpty else { return }
        _ = try await call(
            "ilc_settings",
            settings.flatMap { setting -> [RedisArgument] in
                [.string(setting.tenantID.uuidString), .integer(Int64(setting.weight)), .integer(Int64(setting.cap ?? 0))]
            })
    }

    /// The epoch of Redis's data for this queue; `isNew` when Redis had lost it (or
    /// never had it) and everything must be pushed again from PostgreSQL.
    func epoch() async throws -> (epoch: String, isNew: Bool) {
        let reply = try await call("ilc_epoch", [.string(UUID().uuidString)])
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
            if let tenant = values[index].string.flatMap(UUID.init(uuidString:)) {
                result.append((tenant, Int(values[index + 1].integer ?? 0), Int(values[index + 2].integer ?? 0)))
            }
            index += 3
        }
        return result
    }

    /// Blocks until a push or a fetch that left work behind wakes idle workers.
    func waitForWork(on connection: RedisConnection, timeout: Duration) async throws {
        let seconds = max(Double(timeout.milliseconds) / 1000, 0.01)
        _ = try await connection.send(
            RedisCommand("BZPOPMIN", .string(prefix + ":marker"), .double(seconds)), timeout: timeout + .seconds(5))
    }
}

import Foundation
import ILCCore
import ILCStore
import ILCTestSupport
import ILCWebhooks
import PostgresNIO

/// A fresh tenant per scenario, with a key holding every scope and a cycle, and the
/// checks that follow a fault: every accepted job ended, each job's effect (its report)
/// exists exactly once, and every accepted survey response is stored.
struct VerifyTenant: Sendable {
    let id: UUID
    let cycleID: UUID
    let key: String
    let client: VerifyClient
    let lab: VerifyLab

    /// What every verify tenant's slug starts with.
    static let slugPrefix = "verify-"

    static func create(_ lab: VerifyLab, name: String) async throws -> VerifyTenant {
        let slug = try TenantSlug("\(slugPrefix)\(name)-\(UUID().uuidString.prefix(8).lowercased())")
        let tenant = try await TenantStore(database: lab.database).create(slug: slug, name: "Verify \(name)", kind: .consortium)
        let key = try await APIKeyStore(database: lab.database).createTenantKey(
            tenantID: tenant.id, name: "verify", scopes: Set(APIScope.allCases)).token
        let cycle = try await CycleStore(database: lab.database).create(
            tenantID: tenant.id, name: "Verify", startsOn: nil, endsOn: nil, settings: CycleSettings())
        return VerifyTenant(id: tenant.id, cycleID: cycle.id, key: key, client: VerifyClient(port: lab.apiPort, key: key), lab: lab)
    }

    /// Removes the tenants of earlier runs and their jobs, so a run starts as on a fresh
    /// machine: their leftovers (the fuzzer's webhook deliveries to hosts that do not
    /// resolve retry for days, say) would otherwise take the workers' time. Answers how
    /// many tenants went.
    static func removeEarlierRuns(_ database: Database) async throws -> Int {
        let store = TenantStore(database: database)
        let earlier = try await store.list().filter { $0.slug.rawValue.hasPrefix(slugPrefix) }
        for tenant in earlier {
            // Jobs it adds for network runs (none for verify tenants) the sweeper pushes.
            _ = try await store.delete(id: tenant.id, slug: tenant.slug.rawValue)
        }
        return earlier.count
    }

    /// A webhook endpoint of this tenant for `events`, sending to `receiver`.
    func createWebhookEndpoint(to receiver: WebhookReceiver, for events: [WebhookEventType]) async throws -> UUID {
        try await WebhookStore(database: lab.database).create(
            tenantID: id, url: "http://127.0.0.1:\(receiver.port)/events", description: "verify", eventTypes: events,
            secret: WebhookSecret.random().text
        ).id
    }

    var intakePath: String { "/v1/cycles/\(cycleID.uuidString.lowercased())/survey-responses" }

    /// The body of `POST /v1/reports` the scenarios send: a small report of this cycle.
    var reportRequest: [String: Any] {
        ["kind": "cycle_summary", "cycle_id": cycleID.uuidString.lowercased(), "format": "json"]
    }

    /// A job's id from the answer to the request that started it.
    static func startedJob(_ answer: VerifyClient.Answer) throws -> UUID {
        guard answer.status == 202, let id = (answer.json["id"] as? String).flatMap(UUID.init(uuidString:)) else {
            throw VerifyFailure("starting a job answered \(answer.status): \(answer.text)")
        }
        return id
    }

    /// Starts a report job through the API; answers its id.
    func startReport(deadline: ContinuousClock.Instant) async throws -> (job: UUID, unavailable: Int) {
        try await startJob("/v1/reports", body: reportRequest, deadline: deadline)
    }

    /// An intake batch of `count` new participants, and their external ids.
    static func responseBatch(_ count: Int) -> (externalIDs: [String], batch: [[String: Any]]) {
        let roles = ParticipantRole.allCases.map(\.rawValue)
        let ids = (0..<count).map { _ in "p-\(UUID().uuidString.lowercased())" }
        let batch: [[String: Any]] = ids.enumerated().map { index, id in
            [
                "participant": ["external_id": id, "name": "Educator \(index)", "role": roles[index % roles.count], "district": "District \(index % 7)"],
                "focus_statement": "Chronic absenteeism in grades 6-8 keeps rising",
            ]
        }
        return (ids, batch)
    }

    /// Posts a batch of survey responses for new participants; answers their external ids.
    func submitResponses(_ count: Int, deadline: ContinuousClock.Instant) async throws -> (externalIDs: [String], unavailable: Int) {
        let (ids, batch) = Self.responseBatch(count)
        let (answer, _, unavailable) = try await client.write("POST", intakePath, json: batch, deadline: deadline)
        guard answer.status == 200 else { throw VerifyFailure("intake answered \(answer.status): \(answer.text)") }
        return (ids, unavailable)
    }

    /// The rows of `query` in this tenant's scope, read through brief database outages.
    func rows<Row: Sendable>(_ query: PostgresQuery, _ decode: @escaping @Sendable (PostgresRow) throws -> Row) async throws -> [Row] {
        try await lab.retrying { [lab, id] in
            try await lab.database.withTenantTransaction(id) { transaction in
                try await transaction.query(query).map(decode)
            }
        }
    }

    /// The count a `SELECT count(*)` query answers in this tenant's scope.
    func count(_ query: PostgresQuery) async throws -> Int {
        try await rows(query) { try $0.decode(Int.self) }.first ?? 0
    }

    struct JobState: Sendable {
        let state: String
        let attempts: Int
    }

    func jobStates(_ jobs: [UUID]) async throws -> [UUID: JobState] {
        let rows = try await rows("SELECT id, state, attempts::int8 FROM jobs WHERE tenant_id = \(id) AND id = ANY(\(jobs)::uuid[])") {
            try $0.decode((UUID, String, Int).self)
        }
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.0, JobState(state: $0.1, attempts: $0.2)) })
    }

    /// Waits until every job has ended.
    func waitUntilEnded(_ jobs: [UUID], timeout: Duration = .seconds(120)) async throws {
        let started = ContinuousClock.now
        while true {
            let states = try await jobStates(jobs)
            let open = jobs.filter { states[$0].map { !Self.isTerminal($0.state) } ?? true }
            if open.isEmpty { return }
            guard started.duration(to: .now) < timeout else {
                let sample = open.prefix(3).map { "\($0): \(states[$0]?.state ?? "missing")" }.joined(separator: ", ")
                throw VerifyFailure("\(open.count) of \(jobs.count) jobs had not ended after \(timeout) (\(sample))")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    static func isTerminal(_ state: String) -> Bool {
        ILCCore.JobState(rawValue: state)?.isTerminal == true
    }

    /// Reports stored per job.
    func reportCounts(_ jobs: [UUID]) async throws -> [UUID: Int] {
        let rows = try await rows("SELECT job_id, count(*)::int8 FROM reports WHERE job_id = ANY(\(jobs)::uuid[]) GROUP BY job_id") {
            try $0.decode((UUID, Int).self)
        }
        return Dictionary(uniqueKeysWithValues: rows)
    }

    /// The promises after a fault: every job succeeded, each report job with exactly one
    /// report, and every accepted response is stored once. Answers the reruns (attempts
    /// beyond one).
    func checkOutcome(jobs: [UUID], reportJobs: [UUID], externalIDs: [String]) async throws -> Int {
        let states = try await jobStates(jobs)
        let unsuccessful = jobs.filter { states[$0]?.state != "succeeded" }
        guard unsuccessful.isEmpty else {
            let sample = unsuccessful.prefix(3).map { "\($0): \(states[$0]?.state ?? "missing")" }.joined(separator: ", ")
            throw VerifyFailure("\(unsuccessful.count) of \(jobs.count) accepted jobs did not succeed (\(sample))")
        }
        let reports = try await reportCounts(reportJobs)
        let wrong = reportJobs.filter { reports[$0] != 1 }
        guard wrong.isEmpty else {
            let sample = wrong.prefix(3).map { "\($0): \(reports[$0] ?? 0) reports" }.joined(separator: ", ")
            throw VerifyFailure("\(wrong.count) jobs' effect is not there exactly once (\(sample))")
        }
        let stored = try await count(
            """
            SELECT count(*)::int8 FROM survey_responses s
            JOIN participants p ON p.tenant_id = s.tenant_id AND p.id = s.participant_id
            WHERE s.cycle_id = \(cycleID) AND p.external_id = ANY(\(externalIDs)::text[])
            """)
        guard stored == externalIDs.count else {
            throw VerifyFailure("\(externalIDs.count) survey responses were accepted, \(stored) are stored")
        }
        return jobs.reduce(0) { $0 + max(0, (states[$1]?.attempts ?? 1) - 1) }
    }
}

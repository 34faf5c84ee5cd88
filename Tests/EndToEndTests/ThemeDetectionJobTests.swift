import Foundation
import ILCCore
import ILCQueue
import ILCRedis
import ILCStore
import ILCTestSupport
import Testing

/// A real `ilc-worker` runs `theme-detection` on a cycle's stored intake.
@Suite(.serialized) struct ThemeDetectionJobTests {
    static let answers: [(String, [String])] = [
        ("attendance", ["attendance keeps falling", "chronic absenteeism in middle school", "absent students miss instruction"]),
        ("literacy", ["reading and literacy scores are flat", "phonics and reading fluency", "literacy across subjects"]),
        ("mathematics", ["math scores dropped", "algebra readiness in math", "math problem solving"]),
    ]

    private func waitForEnd(_ job: EnqueuedJob, queues: JobQueues) async throws -> JobRecord {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if let record = try await queues.job(tenantID: job.tenantID, id: job.id), record.state.isTerminal { return record }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try #require(try await queues.job(tenantID: job.tenantID, id: job.id))
    }

    @Test func detectsStoresAndRefusesToReplaceApprovedThemes() async throws {
        let database = try await TestDatabase.sharedApp.value
        let redis = RedisClient(configuration: try RedisConfiguration.fromEnvironment())
        let queues = JobQueues(database: database, redis: redis, logger: TestDatabase.logger)
        let tenant = try await TestDatabase.makeTenant(database).id
        let cycle = try await CycleStore(database: database).create(
            tenantID: tenant, name: "themes", startsOn: nil, endsOn: nil, settings: CycleSettings())
        var drafts: [SurveyResponseDraft] = []
        for index in 0..<60 {
            let (theme, phrases) = Self.answers[index % 3]
            drafts.append(SurveyResponseDraft(
                participant: ParticipantDraft(
                    externalID: "\(theme)-\(index)", name: "Educator \(index)", role: .principal, district: "D\(index % 4)"),
                focusStatement: "In my school \(phrases[index % 3]) and \(phrases[(index / 3) % 3]).",
                improvementGoals: ["Improve \(theme)"]))
        }
        _ = try await SurveyResponseStore(database: database).submit(tenantID: tenant, cycleID: cycle.id, responses: drafts)

        let worker = try WorkerProcess(
            id: "e2e-themes-\(UUID().uuidString.prefix(4))",
            arguments: ["--types", "theme-detection", "--maintenance-seconds", "1", "--metrics-port", "0"])
        let payload = #"{"cycle_id": "\#(cycle.id.uuidString.lowercased())", "seed": 5, "max_themes": 6}"#
        let first = try await queues.queue(for: "theme-detection").enqueue(
            JobRequest(type: "theme-detection", payload: payload), tenantID: tenant)
        let record = try await waitForEnd(first, queues: queues)
        #expect(record.state == .succeeded, "\(record.error ?? "") \(worker.log)")
        let summary = try #require(record.result.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Int] })
        #expect(summary["responses"] == 60)

        let themes = try #require(try await ThemeStore(database: database).list(tenantID: tenant, cycleID: cycle.id))
        #expect(themes.count == 3, "\(themes.map(\.label))")
        #expect(Set(themes.compactMap(\.catalogKey)) == ["attendance", "literacy", "mathematics"])
        #expect(themes.reduce(0) { $0 + $1.size } == summary["assigned"])
        #expect(themes.allSatisfy { $0.quotes.count == 3 && $0.quotes.allSatisfy { $0.responseID != nil } })

        // Approved themes are the facilitators' work: a second run refuses to replace them.
        _ = try await ThemeStore(database: database).update(tenantID: tenant, id: themes[0].id, label: nil, approved: true)
        let second = try await queues.queue(for: "theme-detection").enqueue(
            JobRequest(type: "theme-detection", payload: payload), tenantID: tenant)
        let refused = try await waitForEnd(second, queues: queues)
        #expect(refused.state == .failed)
        #expect(refused.error?.contains("approved") == true)
        #expect(try await ThemeStore(database: database).list(tenantID: tenant, cycleID: cycle.id)?.map(\.id) == themes.map(\.id))

        worker.signal(SIGTERM)
        #expect(await worker.waitForExit() == 0)
        await redis.close()
    }
}

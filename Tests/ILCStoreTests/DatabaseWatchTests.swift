import ILCTestSupport
import Testing

@testable import ILCStore

@Suite struct DatabaseWatchTests {
    /// Runs a watch until `condition` holds of it (or 30 s pass); answers whether it did.
    /// The budget is generous and the condition is looked at once more at its end: with
    /// the whole suite running, CPU-bound tests were seen to hold both cooperative threads
    /// for 10 s, so neither the watch nor this loop got to run.
    private func watch(_ configuration: DatabaseConfiguration, until condition: @escaping @Sendable (DatabaseWatch) -> Bool) async throws
        -> Bool
    {
        let watch = DatabaseWatch(
            configuration: configuration, interval: .milliseconds(100), deadline: .seconds(5), logger: TestDatabase.logger)
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await watch.run()
                return false
            }
            defer { group.cancelAll() }
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                if condition(watch) { return true }
                try await Task.sleep(for: .milliseconds(50))
            }
            return condition(watch)
        }
    }

    @Test func aServerThatAnswersIsAvailable() async throws {
        let configuration = try TestDatabase.appConfiguration()
        // Several checks in: still available.
        #expect(try await watch(configuration) { watch in
            watch.isAvailable && watch.completedChecks.load(ordering: .relaxed) >= 3
        })
    }

    @Test func nothingListeningIsAnOutage() async throws {
        var configuration = try TestDatabase.appConfiguration()
        configuration.port = try await FreePort.next()
        #expect(try await watch(configuration) { !$0.isAvailable })
    }

    @Test func connectionFailuresAndServerShutdownsCountAsUnavailable() async throws {
        var configuration = try TestDatabase.appConfiguration()
        configuration.port = try await FreePort.next()
        do {
            try await Database.checkReachable(configuration, logger: TestDatabase.logger)
            Issue.record("nothing listens on \(configuration.port), yet it connected")
        } catch {
            #expect(Database.isUnavailable(error))
        }
        // A statement's own fault is not an outage.
        try await TestDatabase.withApp { database in
            do {
                try await database.withUnscopedTransaction { transaction in
                    _ = try await transaction.query("SELECT 1/0")
                }
                Issue.record("division by zero succeeded")
            } catch {
                #expect(!Database.isUnavailable(error))
            }
        }
    }
}

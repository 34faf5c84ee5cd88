import ILCTestSupport
import PostgresNIO
import Synchronization
import Testing

@testable import ILCStore

@Suite struct StatementWatchdogTests {
    /// The watchdog fails a statement once its connection has been seen closed at two
    /// ticks in a row, never one whose connection is open or whose answer came (`forget`),
    /// and it starts ticking again after it stopped for want of statements.
    @Test func failsOnlyStatementsWhoseConnectionStaysClosed() async throws {
        let watchdog = StatementWatchdog(interval: .milliseconds(20), closedChecksToFail: 2)
        let open = try await connect()
        let closed = try await connect()
        try await closed.close()
        let failures = Failures()

        _ = watchdog.watch(open) { failures.record("open") }
        let answered = watchdog.watch(closed) { failures.record("answered") }
        watchdog.forget(answered)
        _ = watchdog.watch(closed) { failures.record("lost") }
        // The ticks that failed the lost statement looked at the open connection too.
        #expect(await Eventually.holds { failures.names.contains("lost") })
        #expect(failures.names == ["lost"])

        try await open.close()
        #expect(await Eventually.holds { failures.names.contains("open") })
        #expect(failures.names == ["lost", "open"])

        // Nothing is watched now, so the watchdog stops ticking; a new statement starts
        // it again.
        #expect(await Eventually.holds { !watchdog.isTicking })
        _ = watchdog.watch(closed) { failures.record("after a pause") }
        #expect(watchdog.isTicking)
        #expect(await Eventually.holds { failures.names.contains("after a pause") })
        #expect(failures.names == ["lost", "open", "after a pause"])
    }

    private func connect() async throws -> PostgresConnection {
        try await Database.connectAlone(
            try TestDatabase.appConfiguration(), connectTimeout: .seconds(5), logger: TestDatabase.logger)
    }
}

private final class Failures: Sendable {
    private let recorded = Mutex<[String]>([])

    var names: [String] { recorded.withLock { $0 } }

    func record(_ name: String) {
        recorded.withLock { $0.append(name) }
    }
}

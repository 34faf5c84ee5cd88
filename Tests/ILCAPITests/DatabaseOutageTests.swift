import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCStore
import ILCTestSupport
import Testing

@testable import ILCAPI

@Suite struct DatabaseOutageTests {
    /// While the watch finds PostgreSQL out, every operation answers 503 problem+json
    /// with Retry-After at once (no waiting in the pool); with it answering, as usual.
    @Test func requestsAreTurnedAwayWith503WhileTheDatabaseIsOut() async throws {
        let harness = try await APIHarness.make()
        let (_, key) = try await harness.tenant()
        var unreachable = try TestDatabase.appConfiguration()
        unreachable.port = try await FreePort.next()
        let watch = DatabaseWatch(
            configuration: unreachable, interval: .milliseconds(100), deadline: .seconds(1), logger: TestDatabase.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await watch.run() }
            defer { group.cancelAll() }
            let deadline = ContinuousClock.now + .seconds(10)
            while watch.isAvailable, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            try #require(!watch.isAvailable, "the watch never noticed nothing listens")
            try await harness.test(databaseWatch: watch) { client in
                try await client.execute(uri: "/v1/cycles", method: .get, headers: .bearer(key)) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                    #expect(response.headers[.retryAfter] == "2")
                    #expect(jsonField(response.body, "code") as? String == "service_unavailable")
                }
                // Internal routes are not turned away: probes must still say what is wrong.
                try await client.execute(uri: "/healthz", method: .get) { response in
                    #expect(response.status == .ok)
                }
            }
        }
        // The same API with the database answering serves the request.
        try await harness.test { client in
            try await client.execute(uri: "/v1/cycles", method: .get, headers: .bearer(key)) { response in
                #expect(response.status == .ok)
            }
        }
    }
}

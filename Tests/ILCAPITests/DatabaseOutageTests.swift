import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCStore
import NIOCore
import NIOPosix
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
        // The same API with the database answering serves the request (and the wait
        // for an outage that came with it ends with it).
        let answering = DatabaseWatch(
            configuration: try TestDatabase.appConfiguration(), interval: .milliseconds(100), deadline: .seconds(5),
            logger: TestDatabase.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await answering.run() }
            defer { group.cancelAll() }
            try await harness.test(databaseWatch: answering) { client in
                try await client.execute(uri: "/v1/cycles", method: .get, headers: .bearer(key)) { response in
                    #expect(response.status == .ok)
                }
            }
        }
    }

    /// A request already waiting for a connection when the outage is found is turned
    /// away too, not left waiting until the pool gives up on the server a minute later.
    @Test func aRequestWaitingForAConnectionIsTurnedAwayWhenTheOutageIsFound() async throws {
        let shared = try await APIHarness.make()
        let (_, key) = try await shared.tenant()
        // A server that takes connections and never answers: the key check's statement
        // waits for a connection that never becomes ready.
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        var stuck = try TestDatabase.appConfiguration()
        stuck.port = try #require(silent.localAddress?.port)
        var unreachable = try TestDatabase.appConfiguration()
        unreachable.port = try await FreePort.next()
        let watch = DatabaseWatch(
            configuration: unreachable, interval: .milliseconds(100), deadline: .seconds(1), logger: TestDatabase.logger)
        let status = try await Database.withDatabase(configuration: stuck, logger: TestDatabase.logger) { database in
            let harness = APIHarness(database: database, redis: shared.redis, queues: shared.queues)
            return try await harness.test(databaseWatch: watch) { client in
                try await withThrowingTaskGroup(of: HTTPResponse.Status?.self) { group -> HTTPResponse.Status? in
                    group.addTask {
                        try await client.execute(uri: "/v1/cycles", method: .get, headers: .bearer(key)) { $0.status }
                    }
                    // Found out only once the request waits (the watch starts out trusting).
                    try await Task.sleep(for: .milliseconds(300))
                    group.addTask {
                        try await watch.run()
                        return nil
                    }
                    // Without the turn-away the request waits far longer than this.
                    group.addTask {
                        try await Task.sleep(for: .seconds(20))
                        throw StillWaiting()
                    }
                    defer { group.cancelAll() }
                    while let next = try await group.next() {
                        if let status = next { return status }
                    }
                    return nil
                }
            }
        }
        try await silent.close()
        #expect(status == .serviceUnavailable)
    }
}

private struct StillWaiting: Error, CustomStringConvertible {
    var description: String { "the request was still waiting 20 s after the outage began" }
}

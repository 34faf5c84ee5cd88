import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCQueue
import ILCRedis
import ILCStore
import ILCTestSupport
import ILCWebhooks
import Prometheus
import Testing

@testable import ILCAPI

/// The API as `ilc-api` builds it, on the shared PostgreSQL and Redis, with a fresh
/// tenant per call so tests run in parallel.
struct APIHarness {
    let database: Database
    let redis: RedisClient
    let queues: JobQueues

    static func make() async throws -> APIHarness {
        let database = try await TestDatabase.sharedApp.value
        let redis = RedisClient(configuration: try RedisConfiguration.fromEnvironment("ILC_REDIS_URL"))
        return APIHarness(
            database: database, redis: redis,
            queues: JobQueues(database: database, redis: redis, logger: TestDatabase.logger))
    }

    /// A new tenant and a key of it with `scopes`.
    func tenant(scopes: Set<APIScope> = [.read, .jobsWrite]) async throws -> (id: UUID, key: String) {
        let tenant = try await TestDatabase.makeTenant(database)
        return (tenant.id, try await key(for: tenant.id, scopes: scopes))
    }

    /// Another key of an existing tenant.
    func key(for tenantID: UUID, scopes: Set<APIScope>) async throws -> String {
        try await APIKeyStore(database: database).createTenantKey(tenantID: tenantID, name: "test", scopes: scopes).token
    }

    /// Jobs of a type no worker in the tests runs: they stay queued.
    func enqueue(_ count: Int, tenant: UUID) async throws -> [EnqueuedJob] {
        try await queues.queue(for: "report").enqueue(Array(repeating: JobRequest(type: "report"), count: count), tenantID: tenant)
    }

    func test<Result: Sendable>(
        bodyLimit: Int = 16 << 20, rateLimit: Int = 0, rateWindow: Duration = .seconds(1),
        keyCacheLifetime: Duration = .seconds(10), webhookPolicy: NetworkAddressPolicy = NetworkAddressPolicy(),
        databaseWatch: DatabaseWatch? = nil, authenticationLimits: AuthenticationLimits = AuthenticationLimits(perClient: 0),
        trustedProxies: TrustedProxies = TrustedProxies(), setup: TestingSetup = .router,
        _ body: @Sendable (any TestClientProtocol) async throws -> Result
    ) async throws -> Result {
        // No limit unless a test is about it: the suite's own requests come in bursts, and
        // every live test's client is 127.0.0.1.
        let router = try buildRouter(
            database: database, redis: redis, metrics: PrometheusCollectorRegistry(), bodyLimit: bodyLimit,
            rateLimit: rateLimit, rateWindow: rateWindow, keyCacheLifetime: keyCacheLifetime, webhookPolicy: webhookPolicy,
            databaseWatch: databaseWatch, authenticationLimits: authenticationLimits, trustedProxies: trustedProxies,
            logger: TestDatabase.logger)
        return try await Application(router: router).test(setup, body)
    }
}

extension HTTPFields {
    static func bearer(_ key: String) -> HTTPFields {
        [.authorization: "Bearer \(key)"]
    }
}

/// A response body as a JSON object.
func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
}

/// One top-level field of a JSON object body; nil when the body is no JSON object.
func jsonField(_ buffer: ByteBuffer, _ key: String) -> Any? {
    (try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])?[key]
}

extension APIHarness {
    /// A new operator key (tenant administration).
    func operatorKey() async throws -> String {
        try await APIKeyStore(database: database).createOperatorKey(name: "test operator").token
    }
}

/// Headers of a JSON request with `key`, plus any `extra`.
func jsonHeaders(_ key: String, _ extra: [HTTPField.Name: String] = [:]) -> HTTPFields {
    var headers = HTTPFields.bearer(key)
    headers[.contentType] = "application/json"
    for (name, value) in extra { headers[name] = value }
    return headers
}

/// A JSON request body.
func jsonBody(_ value: Any) throws -> ByteBuffer {
    ByteBuffer(data: try JSONSerialization.data(withJSONObject: value))
}

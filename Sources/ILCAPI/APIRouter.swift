import Foundation
import HTTPTypes
import Hummingbird
import ILCCore
import ILCQueue
import ILCReports
import ILCRedis
import ILCStore
import ILCWebhooks
import Logging
import OpenAPIHummingbird
import OpenAPIRuntime
import Prometheus
import Tracing

/// Assembles the API's routes: the operations of `openapi.yaml` behind the problem and
/// authentication middleware, plus the internal routes. `ilc-api` and the tests build
/// the same router.
public func buildRouter(
    database: Database, redis: RedisClient, metrics: PrometheusCollectorRegistry, bodyLimit: Int = 16 << 20,
    rateLimit: Int = 100, rateWindow: Duration = .seconds(1), keyCacheLifetime: Duration = .seconds(10),
    webhookPolicy: NetworkAddressPolicy = NetworkAddressPolicy(), databaseWatch: DatabaseWatch? = nil,
    authenticationLimits: AuthenticationLimits = AuthenticationLimits(), trustedProxies: TrustedProxies = TrustedProxies(),
    logger: Logger
) throws -> Router<APIRequestContext> {
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: RequestIDMiddleware())

    router.get("/healthz") { _, _ in "ok\n" }
    // Ready means PostgreSQL answers with the schema in place. Redis is reported but not
    // required: without it accepted jobs still commit (the workers' sweeper dispatches
    // them once it is back) and the rate limit lets requests through, so a Redis outage
    // must not take every API process out of service.
    router.get("/readyz") { _, _ -> Response in
        do {
            _ = try await database.withUnscopedTransaction { transaction in
                try await transaction.query("SELECT 1 FROM schema_migrations LIMIT 1")
            }
        } catch {
            logger.warning("not ready", metadata: ["error": "\(error)"])
            return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "not ready: postgresql unavailable\n")))
        }
        let redisAnswers = await answersWithin(.seconds(1), redis: redis, logger: logger)
        let body = "ready\npostgresql: ok\nredis: \(redisAnswers ? "ok" : "unavailable")\n"
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
    router.get("/metrics") { _, _ -> Response in
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
    }
    let specification = try OpenAPIDocument.contents()
    router.get("/openapi.yaml") { _, _ -> Response in
        var headers = HTTPFields()
        headers[.contentType] = "application/yaml"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: specification)))
    }

    let keys = APIKeyCache(store: APIKeyStore(database: database), lifetime: keyCacheLifetime)
    let api = PartnerAPI(
        database: database, jobs: JobQueues(database: database, redis: redis, logger: logger),
        webhookAddresses: WebhookAddressCheck(policy: webhookPolicy), keys: keys, reportRenderer: try ReportRenderer(),
        logger: logger)
    // With a tracer installed, each partner request is a server span (continuing the
    // caller's `traceparent`) that the jobs it enqueues carry on. Only these routes:
    // probes and scrapes would be noise. Without one, no middleware and no cost.
    let operations = router.group()
    if !(InstrumentationSystem.tracer is NoOpTracer) {
        operations.add(middleware: TracingMiddleware())
    }
    operations.add(middleware: ClientAddressMiddleware(proxies: trustedProxies))
    let redisFunctions = APIRedisFunctions(redis: redis)
    // Without a watch (tests), only requests that fail for want of the database are 503s.
    var middlewares: [any ServerMiddleware] = [ProblemMiddleware(logger: logger)]
    if let databaseWatch { middlewares.append(DatabaseAvailabilityMiddleware(watch: databaseWatch)) }
    middlewares += [
        PlainHeadersMiddleware(),
        RequestBodyMiddleware(limit: bodyLimit),
        AuthenticationMiddleware(
            keys: keys, throttle: AuthenticationThrottle(functions: redisFunctions, limits: authenticationLimits, logger: logger), logger: logger),
        RateLimitMiddleware(functions: redisFunctions, limit: rateLimit, window: rateWindow, logger: logger),
        IdempotencyMiddleware(database: database),
    ]
    try api.registerHandlers(
        on: operations,
        // Compact: pretty-printing roughly doubles what a polling partner downloads.
        configuration: .init(dateTranscoder: UTCSecondsDateTranscoder(), jsonEncodingOptions: [.sortedKeys]),
        middlewares: middlewares)
    MethodNotAllowed.register(on: router)
    return router
}

/// Whether Redis answers a PING within `limit`, so a probe gets its answer in time even
/// while the client waits out its reconnect timeout (10 s); a late PING finishes unheard.
private func answersWithin(_ limit: Duration, redis: RedisClient, logger: Logger) async -> Bool {
    let answered = await TimeBox.value(within: limit) { () async -> Bool in
        do {
            try await redis.ping()
            return true
        } catch {
            logger.warning("Redis unavailable; accepted jobs are dispatched when it returns", metadata: ["error": "\(error)"])
            return false
        }
    }
    return answered ?? false
}

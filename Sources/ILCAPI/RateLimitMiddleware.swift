import HTTPTypes
import ILCCore
import ILCRedis
import Logging
import OpenAPIRuntime

/// At most `limit` requests per `window` per tenant, counted in Redis so every API
/// process shares the count; over it, `429` with `Retry-After`. Runs after
/// authentication (it counts the key's tenant). If Redis cannot answer, requests are let
/// through: a limit must not take the API down with it.
struct RateLimitMiddleware: ServerMiddleware {
    let functions: APIRedisFunctions
    /// Requests per window per tenant unless the tenant has its own; 0 turns it off.
    let limit: Int
    var window: Duration = .seconds(1)
    let logger: Logger

    private var windowMilliseconds: Int64 {
        max(1, window.components.seconds * 1_000 + window.components.attoseconds / 1_000_000_000_000_000)
    }

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        // A tenant's own limit (set by an operator) comes before the server's default.
        guard let principal = RequestPrincipal.current, case .tenant(let tenantID) = principal.subject else {
            return try await next(request, body, metadata)
        }
        let limit = principal.rateLimit ?? self.limit
        guard limit > 0 else { return try await next(request, body, metadata) }
        let arguments: [RedisArgument] = [.integer(Int64(limit)), .integer(windowMilliseconds)]
        let reply: RedisValue
        switch await functions.call("ilc_rate", key: "ilc:rate:{\(tenantID.text)}", arguments: arguments) {
        case .success(let value):
            reply = value
        case .failure(let error):
            logger.warning("rate limit unavailable, request allowed", metadata: ["error": "\(error)"])
            return try await next(request, body, metadata)
        }
        guard let values = reply.array, values.count == 2, values[0].integer == 0 else {
            return try await next(request, body, metadata)
        }
        let retryAfter = max(1, Int(((values[1].integer ?? 1_000) + 999) / 1_000))
        throw APIProblem(
            status: .tooManyRequests, code: "rate_limited", title: "Too many requests",
            detail: "at most \(limit) requests per \(window) per tenant", headers: [.retryAfter: String(retryAfter)])
    }
}

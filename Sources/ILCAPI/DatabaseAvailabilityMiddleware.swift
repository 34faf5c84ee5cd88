import HTTPTypes
import ILCStore
import OpenAPIRuntime

/// 503 with `Retry-After` while PostgreSQL is out, as a problem like any other error:
/// at once while the watch says it is out (instead of waiting in the connection pool
/// for as long as the outage lasts), and for a request whose statement failed for want
/// of it. Right after the problem middleware, so even key checks are covered.
struct DatabaseAvailabilityMiddleware: ServerMiddleware {
    /// Without one (tests), only failed requests answer 503.
    let watch: DatabaseWatch?

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        if let watch, !watch.isAvailable { throw Self.unavailable }
        do {
            return try await next(request, body, metadata)
        } catch {
            guard Database.isUnavailable((error as? ServerError)?.underlyingError ?? error) else { throw error }
            throw Self.unavailable
        }
    }

    static let unavailable = APIProblem(
        status: .serviceUnavailable, code: "service_unavailable", title: "The service is briefly unavailable",
        detail: "its database cannot be reached right now; retry after Retry-After seconds (with the same Idempotency-Key a write is never applied twice)",
        headers: [.retryAfter: "2"])
}

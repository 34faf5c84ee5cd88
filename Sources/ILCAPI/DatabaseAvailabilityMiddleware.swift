import HTTPTypes
import ILCStore
import OpenAPIRuntime

/// While the watch finds PostgreSQL out, every request answers 503 at once instead of
/// waiting in the connection pool for as long as the outage lasts. (A request whose
/// statement fails for want of the database is a 503 too: `ProblemMiddleware`.) Right
/// after the problem middleware, so even key checks are spared.
struct DatabaseAvailabilityMiddleware: ServerMiddleware {
    let watch: DatabaseWatch

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard watch.isAvailable else { throw APIProblem.databaseUnavailable }
        return try await next(request, body, metadata)
    }
}

import HTTPTypes
import ILCStore
import OpenAPIRuntime

/// While the watch finds PostgreSQL out, every request answers 503 at once instead of
/// waiting in the connection pool for as long as the outage lasts. (A request whose
/// statement fails for want of the database is a 503 too: `ProblemMiddleware`.) Right
/// after the problem middleware, so even key checks are spared.
///
/// A request already under way when the outage is found is turned away as well: one
/// waiting for a pool connection would otherwise wait until the pool gives up on the
/// server, a minute later. Its work is cancelled, which ends a wait for a connection;
/// a statement already sent ends by itself (`PostgresConnection.answer`).
struct DatabaseAvailabilityMiddleware: ServerMiddleware {
    let watch: DatabaseWatch

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard watch.isAvailable else { throw APIProblem.databaseUnavailable }
        // The group ends before this returns, so `next` never outlives the call.
        return try await withoutActuallyEscaping(next) { next in
            try await withThrowingTaskGroup(of: (HTTPResponse, HTTPBody?)?.self) { group in
                group.addTask { try await next(request, body, metadata) }
                group.addTask {
                    await watch.outage()
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let answered = first else { throw APIProblem.databaseUnavailable }
                return answered
            }
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird

/// Echoes the caller's `X-Request-Id` (or makes one) and puts it in the request's
/// log metadata, so one id follows a request through the logs.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    static var header: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let presented = request.headers[Self.header].flatMap { $0.count <= 200 && !$0.isEmpty ? $0 : nil }
        let id = presented ?? UUID().uuidString.lowercased()
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        var response = try await next(request, context)
        response.headers[Self.header] = id
        return response
    }
}

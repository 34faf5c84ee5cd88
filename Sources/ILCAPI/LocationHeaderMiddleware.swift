import HTTPTypes
import OpenAPIRuntime

/// The generated code writes header values percent-encoded (OpenAPI's "simple" style),
/// which turns `Location: /v1/cycles/…` into `%2Fv1%2Fcycles%2F…`. Paths are what
/// clients follow, so this puts them back as they were.
struct LocationHeaderMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var (response, responseBody) = try await next(request, body, metadata)
        if let location = response.headerFields[.location], let decoded = location.removingPercentEncoding {
            response.headerFields[.location] = decoded
        }
        return (response, responseBody)
    }
}

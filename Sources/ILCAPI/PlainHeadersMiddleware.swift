import HTTPTypes
import OpenAPIRuntime

/// The generated code writes header values percent-encoded (OpenAPI's "simple" style),
/// which turns `Location: /v1/cycles/…` into `%2Fv1%2Fcycles%2F…` and an entity tag's
/// quotes into `%22`. Clients follow locations and send tags back as they got them, so
/// this puts both back as they were.
struct PlainHeadersMiddleware: ServerMiddleware {
    static let plainHeaders: [HTTPField.Name] = [.location, .eTag]

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var (response, responseBody) = try await next(request, body, metadata)
        for name in Self.plainHeaders {
            if let value = response.headerFields[name], let decoded = value.removingPercentEncoding {
                response.headerFields[name] = decoded
            }
        }
        return (response, responseBody)
    }
}

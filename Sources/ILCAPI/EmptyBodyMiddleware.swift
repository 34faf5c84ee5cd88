import HTTPTypes
import OpenAPIRuntime

/// A POST with no body at all (no `Content-Type`, nothing sent) reaches the generated
/// code as an empty body, which it would try to decode as JSON and refuse. For
/// operations whose body is optional, "no body" must mean "no body": this passes nil.
struct EmptyBodyMiddleware: ServerMiddleware {
    /// Bodies without a content type are small (nothing else can be decoded anyway).
    static let untypedLimit = 1 << 20

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let body, request.headerFields[.contentType] == nil else {
            return try await next(request, body, metadata)
        }
        let bytes: [UInt8]
        do {
            bytes = try await [UInt8](collecting: body, upTo: Self.untypedLimit)
        } catch {
            throw APIProblem(
                status: .unsupportedMediaType, code: "content_type_required", title: "Say what the body is",
                detail: "send large bodies with a Content-Type header, such as application/json")
        }
        return try await next(request, bytes.isEmpty ? nil : HTTPBody(bytes), metadata)
    }
}

import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Reads request bodies before the generated code does:
/// - a body over `limit` is a 413 (the client learns the limit);
/// - no body at all (no `Content-Type`, nothing sent) is no body, so operations whose body
///   is optional do not try to decode an empty one;
/// - JSON bodies may not contain `null` (the contract has no nullable fields; the generated
///   decoders would read a `null` as "left out"): a 400 points at the first one.
struct RequestBodyMiddleware: ServerMiddleware {
    let limit: Int

    /// Batches whose rows are read one by one: a `null` is a problem of its row there.
    static let nullsReportedPerRow: Set<String> = ["submitSurveyResponses"]

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let body else { return try await next(request, nil, metadata) }
        let bytes: [UInt8]
        do {
            bytes = try await [UInt8](collecting: body, upTo: limit)
        } catch {
            throw APIProblem(
                status: .contentTooLarge, code: "body_too_large", title: "The request body is too large",
                detail: "send at most \(limit) bytes per request")
        }
        let contentType = request.headerFields[.contentType]
        if bytes.isEmpty && contentType == nil {
            return try await next(request, nil, metadata)
        }
        if contentType?.lowercased().hasPrefix("application/json") == true,
           !Self.nullsReportedPerRow.contains(operationID),
           let document = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]),
           let pointer = Self.firstNull(in: document, at: "") {
            throw APIProblem.invalid(pointer, "must not be null: leave the field out instead")
        }
        return try await next(request, HTTPBody(bytes), metadata)
    }

    /// The JSON Pointer of the first `null` in a parsed document, if any.
    static func firstNull(in value: Any, at pointer: String) -> String? {
        switch value {
        case is NSNull:
            return pointer
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                let escaped = key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
                if let found = firstNull(in: object[key] as Any, at: pointer + "/" + escaped) { return found }
            }
            return nil
        case let array as [Any]:
            for (index, element) in array.enumerated() {
                if let found = firstNull(in: element, at: pointer + "/\(index)") { return found }
            }
            return nil
        default:
            return nil
        }
    }
}

import Foundation
import HTTPTypes
import OpenAPIRuntime

/// An RFC 9457 problem as the API answers it: a stable `code`, and `errors` naming the
/// fields of a validation failure. Thrown by handlers and middleware; the error
/// middleware writes it as `application/problem+json`.
struct APIProblem: Error, Sendable, Equatable {
    struct FieldError: Codable, Sendable, Equatable {
        let pointer: String
        let detail: String
        /// A batch row's position, and the CSV line it starts on.
        var index: Int?
        var line: Int?

        init(pointer: String, detail: String, index: Int? = nil, line: Int? = nil) {
            self.pointer = pointer
            self.detail = detail
            self.index = index
            self.line = line
        }
    }

    let status: HTTPResponse.Status
    let code: String
    let title: String
    var detail: String?
    var errors: [FieldError]?
    var headers: HTTPFields = [:]

    static func notFound() -> APIProblem {
        APIProblem(status: .notFound, code: "not_found", title: "Not found")
    }

    static func invalid(_ pointer: String, _ detail: String) -> APIProblem {
        invalid([FieldError(pointer: pointer, detail: detail)])
    }

    /// 400 naming every invalid value at once.
    static func invalid(_ errors: [FieldError]) -> APIProblem {
        APIProblem(status: .badRequest, code: "validation_failed", title: "The request has invalid values", errors: errors)
    }

    /// 422: each value is valid alone but they do not fit together (or with what is stored).
    static func unfit(_ errors: [FieldError]) -> APIProblem {
        APIProblem(
            status: .unprocessableContent, code: "validation_failed", title: "The values do not fit together",
            errors: errors)
    }

    static func unauthorized() -> APIProblem {
        APIProblem(
            status: .unauthorized, code: "unauthorized", title: "A valid API key is required",
            detail: "send a key from `ilc key create` as `Authorization: Bearer <key>`",
            headers: [.wwwAuthenticate: "Bearer"])
    }

    /// 503 while PostgreSQL cannot be reached.
    static let databaseUnavailable = APIProblem(
        status: .serviceUnavailable, code: "service_unavailable", title: "The service is briefly unavailable",
        detail: "its database cannot be reached right now; retry after Retry-After seconds (with the same Idempotency-Key a write is never applied twice)",
        headers: [.retryAfter: "2"])

    /// 429 for a key locked after repeated failed checks; the same for a right or a
    /// wrong secret, so the lock tells a guesser nothing.
    static func keyLocked(retryAfter seconds: Int) -> APIProblem {
        APIProblem(
            status: .tooManyRequests, code: "key_locked", title: "Too many failed attempts with this API key",
            detail: "the key is locked for a while after repeated failed checks; retry after Retry-After seconds",
            headers: [.retryAfter: String(seconds)])
    }

    /// 429 for a client address whose failed key checks reached the limit (`AuthenticationThrottle`).
    static func clientLocked(retryAfter seconds: Int) -> APIProblem {
        APIProblem(
            status: .tooManyRequests, code: "client_locked", title: "Too many failed API key checks from this address",
            detail: "keys from this address are not checked for a while after repeated failures; retry after Retry-After seconds",
            headers: [.retryAfter: String(seconds)])
    }

    static func missingScope(_ scope: String) -> APIProblem {
        APIProblem(
            status: .forbidden, code: "missing_scope", title: "The API key lacks a scope",
            detail: "this operation needs the '\(scope)' scope")
    }

    var typeURI: String {
        "https://ilc.example/problems/" + code.replacingOccurrences(of: "_", with: "-")
    }

    /// The document in the generated schema type, for typed responses.
    var document: Components.Schemas.Problem {
        Components.Schemas.Problem(
            _type: typeURI, title: title, status: status.code, detail: detail, code: code,
            errors: errors?.map(Components.Schemas.FieldError.init))
    }

    /// The whole response, for middleware that answers before any handler runs.
    func response() -> (HTTPResponse, HTTPBody) {
        (HTTPResponse(status: status, headerFields: responseHeaders), HTTPBody(encoded()))
    }

    var responseHeaders: HTTPFields {
        var fields = headers
        // As the generated responses write it.
        fields[.contentType] = "application/problem+json; charset=utf-8"
        return fields
    }

    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(document)) ?? Data(#"{"title":"error"}"#.utf8)
    }
}

import Foundation
import HTTPTypes
import ILCStore
import OpenAPIRuntime

/// `Idempotency-Key` on POST: the request runs inside one tenant transaction that its
/// effects join, and its answer is stored in that same transaction, so a retry with
/// the key replays the first answer (`Idempotent-Replayed: true`) and never repeats the
/// effect. The same key with a different request is `422`; while the first request
/// runs, `409`. Server errors are not kept (the transaction rolls back, so retrying runs
/// the request again); neither are `409` and `429`, which say "try again".
struct IdempotencyMiddleware: ServerMiddleware {
    let database: Database

    static let header = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!
    static let keptHeaders: [HTTPField.Name] = [.contentType, .location, .retryAfter, .eTag]

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard request.method == .post, let key = request.headerFields[Self.header],
              case .tenant(let tenantID)? = RequestPrincipal.current?.subject else {
            return try await next(request, body, metadata)
        }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw APIProblem(
                status: .badRequest, code: "invalid_idempotency_key", title: "The Idempotency-Key header is invalid",
                detail: "send 1–255 visible ASCII characters, such as a UUID")
        }
        // The body middleware already read and bounded the body.
        let bytes = try await Self.collect(body)
        let fingerprint = IdempotencyStore.fingerprint(
            method: request.method.rawValue, path: request.path ?? "", contentType: request.headerFields[.contentType],
            body: bytes)
        let store = IdempotencyStore(database: database)
        do {
            return try await database.withJoinedTenantTransaction(tenantID) { transaction in
                switch try await store.lookup(key: key, fingerprint: fingerprint, in: transaction) {
                case .inProgress:
                    throw APIProblem(
                        status: .conflict, code: "idempotency_key_in_use", title: "A request with this key is still running",
                        detail: "retry after it has finished to get its answer", headers: [.retryAfter: "1"])
                case .mismatch:
                    throw APIProblem(
                        status: .unprocessableContent, code: "idempotency_key_reused",
                        title: "This Idempotency-Key was used for a different request",
                        detail: "use a new key for a new request; a key is kept for 24 hours")
                case .replay(let answer):
                    return Self.replay(answer)
                case .fresh:
                    break
                }
                let (response, responseBody) = try await next(request, body.map { _ in HTTPBody(bytes) }, metadata)
                let answerBytes = try await Self.collect(responseBody)
                guard Self.keeps(response.status) else {
                    throw Unkept(response: response, body: answerBytes)
                }
                var headers: [String: String] = [:]
                for name in Self.keptHeaders { headers[name.canonicalName] = response.headerFields[name] }
                try await store.record(
                    key: key, method: request.method.rawValue, path: request.path ?? "", fingerprint: fingerprint,
                    answer: .init(status: response.status.code, headers: headers, body: answerBytes), in: transaction)
                return (response, HTTPBody(answerBytes))
            }
        } catch let unkept as Unkept {
            return (unkept.response, HTTPBody(unkept.body))
        }
    }

    private static func collect(_ body: HTTPBody?) async throws -> [UInt8] {
        guard let body else { return [] }
        return try await [UInt8](collecting: body, upTo: .max)
    }

    static func keeps(_ status: HTTPResponse.Status) -> Bool {
        status.code < 500 && status != .conflict && status != .tooManyRequests
    }

    static func replay(_ answer: IdempotencyStore.Answer) -> (HTTPResponse, HTTPBody?) {
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        fields[replayedHeader] = "true"
        return (HTTPResponse(status: .init(code: answer.status), headerFields: fields), HTTPBody(answer.body))
    }

    /// An answer given but not kept: thrown to roll the request's transaction back.
    private struct Unkept: Error {
        let response: HTTPResponse
        let body: [UInt8]
    }
}

import Foundation
import HTTPTypes
import ILCCore
import ILCStore
import Logging
import OpenAPIRuntime

/// The outermost OpenAPI middleware: every error becomes an `application/problem+json`
/// answer. Request decoding errors of the generated code are 400s naming what failed;
/// anything unexpected is a 500 that tells the caller nothing internal (the log does).
struct ProblemMiddleware: ServerMiddleware {
    let logger: Logger

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        do {
            return try await next(request, body, metadata)
        } catch {
            return problem(for: error, operationID: operationID).response()
        }
    }

    private func problem(for error: any Error, operationID: String) -> APIProblem {
        if let problem = error as? APIProblem {
            return problem
        }
        if let serverError = error as? ServerError {
            if let problem = serverError.underlyingError as? APIProblem {
                return problem
            }
            if let decoding = serverError.underlyingError as? DecodingError {
                return Self.problem(for: decoding)
            }
            if (400..<500).contains(serverError.httpStatus.code) {
                return APIProblem(
                    status: serverError.httpStatus, code: "bad_request", title: "The request could not be read",
                    detail: serverError.causeDescription)
            }
        }
        let underlying = (error as? ServerError)?.underlyingError ?? error
        if Database.isUnavailable(underlying) {
            return .databaseUnavailable
        }
        // The underlying error only: a ServerError also describes the request, headers
        // (the API key) included, which must never reach a log.
        logger.error("request failed", metadata: ["operation": "\(operationID)", "error": "\(String(reflecting: underlying))"])
        return APIProblem(
            status: .internalServerError, code: "internal_error", title: "Something went wrong on our side",
            detail: "the failure is logged; retrying later may work")
    }

    /// A body that does not fit the schema (a missing field, a wrong type, a value not
    /// in an enumeration) names the field by JSON Pointer, like every validation error.
    static func problem(for error: DecodingError) -> APIProblem {
        let invalid = ValidationError(error)
        return APIProblem.invalid(invalid.field, invalid.message)
    }
}

import HTTPTypes
import ILCCore
import ILCStore
import Logging
import OpenAPIRuntime

/// Verifies `Authorization: Bearer <key>` and the scope the operation needs, then runs
/// the handler with the principal in `RequestPrincipal.current`. Every failure of the
/// key itself is the same 401, so a caller learns nothing about other keys; repeated
/// failures with one key, or from one client, lock them for a while (429,
/// `AuthenticationThrottle`).
struct AuthenticationMiddleware: ServerMiddleware {
    let keys: APIKeyCache
    let throttle: AuthenticationThrottle
    let logger: Logger

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        // Before the key is verified: an operation without a scope is refused anyway.
        guard let operation = APIOperations.byID[operationID] else {
            logger.error("operation has no scope in APIOperations", metadata: ["operation": "\(operationID)"])
            throw APIProblem.missingScope("(none defined)")
        }
        guard let header = request.headerFields[.authorization], header.hasPrefix("Bearer ") else {
            throw APIProblem.unauthorized()
        }
        let presented = String(header.dropFirst("Bearer ".count))
        let principal: APIPrincipal
        if let cached = keys.cached(presented) {
            principal = cached
        } else {
            principal = try await check(presented, operationID: operationID)
        }
        switch (operation.audience, principal.subject) {
        case (.tenant, .tenant), (.operatorKey, .operatorScope):
            break
        case (.tenant, .operatorScope):
            throw APIProblem(
                status: .forbidden, code: "tenant_key_required", title: "This operation needs a tenant's key",
                detail: "operator keys manage tenants under /v1/admin; tenant data needs the tenant's own key")
        case (.operatorKey, .tenant):
            throw APIProblem(
                status: .forbidden, code: "operator_key_required", title: "This operation needs an operator key",
                detail: "tenant administration takes a key from `ilc key create --operator`")
        }
        guard principal.allows(operation.scope) else {
            throw APIProblem.missingScope(operation.scope.rawValue)
        }
        return try await RequestPrincipal.$current.withValue(principal) {
            try await next(request, body, metadata)
        }
    }

    /// A key not verified lately: checked unless failures locked it or its client.
    private func check(_ presented: String, operationID: String) async throws -> APIPrincipal {
        // Text that is no key costs no lookup and can never match: a plain 401, uncounted.
        guard let keyID = APIKeyToken(parsing: presented)?.keyID else {
            logger.info("API key refused", metadata: ["reason": "malformed", "operation": "\(operationID)"])
            throw APIProblem.unauthorized()
        }
        let client = ClientAddress.current
        if let lock = await throttle.lock(keyID: keyID, client: client) {
            throw lock.problem
        }
        do {
            return try await keys.verify(presented)
        } catch let refusal as AuthenticationError {
            logger.info(
                "API key refused",
                metadata: ["reason": "\(refusal)", "operation": "\(operationID)", "client": "\(client?.text ?? "unknown")"])
            // A revoked or expired key had the right secret: no guess.
            if refusal == .wrongSecret || refusal == .unknownKey,
                let lock = await throttle.recordFailure(keyID: keyID, wrongSecret: refusal == .wrongSecret, client: client)
            {
                throw lock.problem
            }
            throw APIProblem.unauthorized()
        }
    }
}

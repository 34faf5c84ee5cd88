import Foundation
import ILCQueue
import ILCReports
import ILCStore
import ILCWebhooks
import Logging

/// The operations of `openapi.yaml`. Each handler works for the tenant of the
/// verified key (`RequestPrincipal.current`), never one named in the request.
struct PartnerAPI: APIProtocol {
    let database: Database
    let jobs: JobQueues
    /// Where webhook endpoints may point (the operator's policy).
    let webhookAddresses: WebhookAddressCheck
    /// The verified keys the authentication middleware keeps (tenant changes refresh them).
    let keys: APIKeyCache
    /// Renders the network summary (tenant reports are rendered by workers).
    let reportRenderer: ReportRenderer
    let logger: Logger

    /// The key's tenant; the authentication middleware let no request through without one.
    func tenantID() throws -> UUID {
        guard case .tenant(let tenantID)? = RequestPrincipal.current?.subject else {
            throw APIProblem.unauthorized()
        }
        return tenantID
    }
}

import HTTPTypes
import ILCCore

/// The operations of `openapi.yaml` with what the server needs to know beyond the
/// generated code: the scope each needs, and its method and path (for 405 answers).
/// An operation missing here is refused for every key (authentication fails closed);
/// a test checks this table against the spec both ways.
enum APIOperations {
    struct Operation: Sendable {
        let id: String
        let method: HTTPRequest.Method
        let path: String
        let scope: APIScope
        /// Tenant data needs a tenant's key; tenant administration an operator's.
        var audience: Audience = .tenant
    }

    enum Audience: Sendable {
        case tenant
        case operatorKey
    }

    static let all: [Operation] = [
        Operation(id: "listCycles", method: .get, path: "/v1/cycles", scope: .read),
        Operation(id: "createCycle", method: .post, path: "/v1/cycles", scope: .collectivesWrite),
        Operation(id: "getCycle", method: .get, path: "/v1/cycles/{cycleId}", scope: .read),
        Operation(id: "updateCycle", method: .patch, path: "/v1/cycles/{cycleId}", scope: .collectivesWrite),
        Operation(id: "listSurveyResponses", method: .get, path: "/v1/cycles/{cycleId}/survey-responses", scope: .read),
        Operation(
            id: "submitSurveyResponses", method: .post, path: "/v1/cycles/{cycleId}/survey-responses", scope: .surveysWrite),
        Operation(id: "eraseParticipant", method: .delete, path: "/v1/participants/{participantId}", scope: .admin),
        Operation(id: "listThemes", method: .get, path: "/v1/cycles/{cycleId}/themes", scope: .read),
        Operation(id: "updateTheme", method: .patch, path: "/v1/themes/{themeId}", scope: .collectivesWrite),
        Operation(id: "mergeTheme", method: .post, path: "/v1/themes/{themeId}/merge", scope: .collectivesWrite),
        Operation(id: "listCollectives", method: .get, path: "/v1/cycles/{cycleId}/collectives", scope: .read),
        Operation(id: "createCollective", method: .post, path: "/v1/cycles/{cycleId}/collectives", scope: .collectivesWrite),
        Operation(id: "getCollective", method: .get, path: "/v1/collectives/{collectiveId}", scope: .read),
        Operation(id: "updateCollective", method: .patch, path: "/v1/collectives/{collectiveId}", scope: .collectivesWrite),
        Operation(
            id: "placeMember", method: .put, path: "/v1/collectives/{collectiveId}/members/{participantId}",
            scope: .collectivesWrite),
        Operation(id: "getPlacemat", method: .get, path: "/v1/collectives/{collectiveId}/placemat", scope: .read),
        Operation(id: "putPlacemat", method: .put, path: "/v1/collectives/{collectiveId}/placemat", scope: .collectivesWrite),
        Operation(id: "listEvidence", method: .get, path: "/v1/collectives/{collectiveId}/evidence", scope: .read),
        Operation(id: "recordEvidence", method: .post, path: "/v1/collectives/{collectiveId}/evidence", scope: .evidenceWrite),
        Operation(id: "listReflections", method: .get, path: "/v1/collectives/{collectiveId}/reflections", scope: .read),
        Operation(id: "listCollectiveShares", method: .get, path: "/v1/collectives/{collectiveId}/shares", scope: .read),
        Operation(id: "listKnowledgeShares", method: .get, path: "/v1/knowledge-shares", scope: .read),
        Operation(id: "updateKnowledgeShare", method: .patch, path: "/v1/knowledge-shares/{shareId}", scope: .collectivesWrite),
        Operation(
            id: "createReflection", method: .post, path: "/v1/collectives/{collectiveId}/reflections", scope: .collectivesWrite),
        Operation(id: "startThemeDetection", method: .post, path: "/v1/cycles/{cycleId}/theme-detection", scope: .jobsWrite),
        Operation(id: "startGroupFormation", method: .post, path: "/v1/cycles/{cycleId}/group-formation", scope: .jobsWrite),
        Operation(id: "startKnowledgeSharing", method: .post, path: "/v1/knowledge-sharing", scope: .jobsWrite),
        Operation(id: "startReport", method: .post, path: "/v1/reports", scope: .jobsWrite),
        Operation(id: "listReports", method: .get, path: "/v1/reports", scope: .read),
        Operation(id: "getReport", method: .get, path: "/v1/reports/{reportId}", scope: .read),
        Operation(id: "getReportContent", method: .get, path: "/v1/reports/{reportId}/content", scope: .read),
        Operation(id: "listWebhookEndpoints", method: .get, path: "/v1/webhook-endpoints", scope: .read),
        Operation(id: "createWebhookEndpoint", method: .post, path: "/v1/webhook-endpoints", scope: .admin),
        Operation(id: "getWebhookEndpoint", method: .get, path: "/v1/webhook-endpoints/{endpointId}", scope: .read),
        Operation(id: "updateWebhookEndpoint", method: .patch, path: "/v1/webhook-endpoints/{endpointId}", scope: .admin),
        Operation(id: "deleteWebhookEndpoint", method: .delete, path: "/v1/webhook-endpoints/{endpointId}", scope: .admin),
        Operation(
            id: "listWebhookDeliveries", method: .get, path: "/v1/webhook-endpoints/{endpointId}/deliveries", scope: .read),
        Operation(id: "adminListTenants", method: .get, path: "/v1/admin/tenants", scope: .admin, audience: .operatorKey),
        Operation(id: "adminCreateTenant", method: .post, path: "/v1/admin/tenants", scope: .admin, audience: .operatorKey),
        Operation(id: "adminGetTenant", method: .get, path: "/v1/admin/tenants/{tenantId}", scope: .admin, audience: .operatorKey),
        Operation(
            id: "adminUpdateTenant", method: .patch, path: "/v1/admin/tenants/{tenantId}", scope: .admin, audience: .operatorKey),
        Operation(
            id: "adminDeleteTenant", method: .delete, path: "/v1/admin/tenants/{tenantId}", scope: .admin,
            audience: .operatorKey),
        Operation(
            id: "adminGetNetworkSummary", method: .get, path: "/v1/admin/network-summary", scope: .admin, audience: .operatorKey),
        Operation(
            id: "adminStartNetworkSharing", method: .post, path: "/v1/admin/knowledge-sharing", scope: .admin,
            audience: .operatorKey),
        Operation(
            id: "adminGetNetworkSharing", method: .get, path: "/v1/admin/knowledge-sharing/{runId}", scope: .admin,
            audience: .operatorKey),
        Operation(id: "listJobs", method: .get, path: "/v1/jobs", scope: .read),
        Operation(id: "getJob", method: .get, path: "/v1/jobs/{jobId}", scope: .read),
        Operation(id: "cancelJob", method: .post, path: "/v1/jobs/{jobId}/cancel", scope: .jobsWrite),
    ]

    static let byID: [String: Operation] = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

    /// Each documented path with the methods it has.
    static var methodsByPath: [String: [HTTPRequest.Method]] {
        Dictionary(grouping: all, by: \.path).mapValues { $0.map(\.method) }
    }
}

import Foundation
import ILCStore

extension PartnerAPI {
    func eraseParticipant(_ input: Operations.EraseParticipant.Input) async throws -> Operations.EraseParticipant.Output {
        let tenant = try tenantID()
        guard let id = UUID(uuidString: input.path.participantId),
              let erasure = try await ParticipantStore(database: database).erase(tenantID: tenant, participantID: id) else {
            throw APIProblem.notFound()
        }
        // The receipt, without the person's external id: logs outlive the erasure.
        logger.info("participant erased", metadata: [
            "tenant": "\(tenant)", "participant": "\(id)", "survey_responses": "\(erasure.surveyResponses)",
            "memberships": "\(erasure.memberships)", "quotes": "\(erasure.quotes)",
        ])
        return .ok(.init(body: .json(.init(
            participantId: id.uuidString.lowercased(), externalId: erasure.externalID,
            surveyResponses: erasure.surveyResponses, memberships: erasure.memberships, quotes: erasure.quotes,
            reflectionsUnattributed: erasure.reflectionsUnattributed, erasedAt: erasure.erasedAt))))
    }
}

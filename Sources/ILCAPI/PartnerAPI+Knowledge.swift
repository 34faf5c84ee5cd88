import Foundation
import ILCStore
import OpenAPIRuntime

/// Reading and marking knowledge-share suggestions (the `knowledge-sharing` job makes them).
extension PartnerAPI {
    func listCollectiveShares(_ input: Operations.ListCollectiveShares.Input) async throws -> Operations.ListCollectiveShares.Output {
        let tenant = try tenantID()
        let (limit, cursor) = try PageCursor.page(limit: input.query.limit, cursor: input.query.cursor)
        guard let collectiveID = UUID(uuidString: input.path.collectiveId),
              let shares = try await KnowledgeShareStore(database: database).list(
                tenantID: tenant, collectiveID: collectiveID, status: input.query.status.flatMap { .init(rawValue: $0.rawValue) },
                before: cursor, limit: limit + 1) else {
            throw APIProblem.notFound()
        }
        let (page, next) = PageCursor.split(shares, limit: limit, id: \.id)
        return .ok(.init(body: .json(.init(data: try page.map(Components.Schemas.KnowledgeShare.init), next: next))))
    }

    func listKnowledgeShares(_ input: Operations.ListKnowledgeShares.Input) async throws -> Operations.ListKnowledgeShares.Output {
        let tenant = try tenantID()
        let (limit, cursor) = try PageCursor.page(limit: input.query.limit, cursor: input.query.cursor)
        let shares = try await KnowledgeShareStore(database: database).list(
            tenantID: tenant, collectiveID: nil, status: input.query.status.flatMap { .init(rawValue: $0.rawValue) },
            before: cursor, limit: limit + 1) ?? []
        let (page, next) = PageCursor.split(shares, limit: limit, id: \.id)
        return .ok(.init(body: .json(.init(data: try page.map(Components.Schemas.KnowledgeShare.init), next: next))))
    }

    func updateKnowledgeShare(_ input: Operations.UpdateKnowledgeShare.Input) async throws -> Operations.UpdateKnowledgeShare.Output {
        let tenant = try tenantID()
        guard case .json(let body) = input.body else { throw APIProblem.invalid("", "expected a JSON body") }
        guard let status = KnowledgeShare.Status(rawValue: body.status.rawValue) else {
            throw APIProblem.invalid("/status", "must be suggested, accepted or dismissed")
        }
        guard let id = UUID(uuidString: input.path.shareId),
              let share = try await KnowledgeShareStore(database: database).mark(tenantID: tenant, id: id, status: status) else {
            throw APIProblem.notFound()
        }
        return .ok(.init(body: .json(try .init(share))))
    }
}

extension Components.Schemas.KnowledgeShare {
    init(_ share: KnowledgeShare) throws {
        self.init(
            id: share.id.uuidString.lowercased(), targetCollectiveId: share.targetCollectiveID.uuidString.lowercased(),
            sourceCollectiveId: share.sourceCollectiveID?.uuidString.lowercased(), sourceLabel: share.sourceLabel,
            crossTenant: share.crossTenant, score: share.score,
            status: Components.Schemas.ShareStatus(rawValue: share.status.rawValue) ?? .suggested,
            reasons: try JSONDecoder().decode(ReasonsPayload.self, from: Data(share.reasons.utf8)),
            createdAt: share.createdAt, updatedAt: share.updatedAt)
    }
}

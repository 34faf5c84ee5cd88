import Foundation
import ILCStore
import OpenAPIRuntime

/// Network runs of knowledge sharing: operator keys only (the authentication
/// middleware sees to it).
extension PartnerAPI {
    func adminStartNetworkSharing(
        _ input: Operations.AdminStartNetworkSharing.Input
    ) async throws -> Operations.AdminStartNetworkSharing.Output {
        let (run, jobs) = try await NetworkSharingRunStore(database: database).start()
        let queue = try self.jobs.queue(for: "knowledge-sharing")
        await database.afterCommit { await queue.dispatch(jobs) }
        return .accepted(.init(
            headers: .init(location: "/v1/admin/knowledge-sharing/\(run.id.uuidString.lowercased())"), body: .json(.init(run))))
    }

    func adminGetNetworkSharing(_ input: Operations.AdminGetNetworkSharing.Input) async throws -> Operations.AdminGetNetworkSharing.Output {
        guard let id = UUID(uuidString: input.path.runId),
              let run = try await NetworkSharingRunStore(database: database).find(id: id) else {
            throw APIProblem.notFound()
        }
        return .ok(.init(body: .json(.init(run))))
    }
}

extension Components.Schemas.NetworkSharingRun {
    init(_ run: NetworkSharingRun) {
        self.init(
            id: run.id.uuidString.lowercased(), tenants: run.tenants, published: run.published,
            matchingStartedAt: run.matchingStartedAt, createdAt: run.createdAt)
    }
}

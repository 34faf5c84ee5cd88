import Foundation
import ILCCore
import ILCStore
import OpenAPIRuntime

extension PartnerAPI {
    func listCollectives(_ input: Operations.ListCollectives.Input) async throws -> Operations.ListCollectives.Output {
        let tenant = try tenantID()
        let (limit, cursor) = try PageCursor.page(limit: input.query.limit, cursor: input.query.cursor)
        let themeID = try input.query.themeId.map { try Self.uuid($0, pointer: "/theme_id") }
        guard let cycleID = UUID(uuidString: input.path.cycleId),
              let collectives = try await CollectiveStore(database: database).list(
                tenantID: tenant, cycleID: cycleID, phase: input.query.phase.flatMap { CyclePhase(rawValue: $0.rawValue) },
                themeID: themeID, before: cursor, limit: limit + 1) else {
            throw APIProblem.notFound()
        }
        let (page, next) = PageCursor.split(collectives, limit: limit, id: \.id)
        return .ok(.init(body: .json(.init(data: page.map(Components.Schemas.Collective.init), next: next))))
    }

    func createCollective(_ input: Operations.CreateCollective.Input) async throws -> Operations.CreateCollective.Output {
        let tenant = try tenantID()
        guard case .json(let body) = input.body else { throw APIProblem.invalid("", "expected a JSON body") }
        try TextRules.check([
            TextRules.name(body.name, pointer: "/name"), TextRules.name(body.facilitator, pointer: "/facilitator"),
        ])
        let themeID = try body.themeId.map { try Self.uuid($0, pointer: "/theme_id") }
        guard let cycleID = UUID(uuidString: input.path.cycleId) else { throw APIProblem.notFound() }
        let collective = try await Self.answering {
            try await CollectiveStore(database: database).create(
                tenantID: tenant, cycleID: cycleID, name: body.name, facilitator: body.facilitator, themeID: themeID)
        }
        return .created(.init(
            headers: .init(location: "/v1/collectives/\(collective.id.uuidString.lowercased())"),
            body: .json(.init(collective))))
    }

    func getCollective(_ input: Operations.GetCollective.Input) async throws -> Operations.GetCollective.Output {
        let tenant = try tenantID()
        guard let id = UUID(uuidString: input.path.collectiveId),
              let collective = try await CollectiveStore(database: database).find(tenantID: tenant, id: id) else {
            throw APIProblem.notFound()
        }
        return .ok(.init(body: .json(.init(collective))))
    }

    func updateCollective(_ input: Operations.UpdateCollective.Input) async throws -> Operations.UpdateCollective.Output {
        let tenant = try tenantID()
        guard case .json(let body) = input.body else { throw APIProblem.invalid("", "expected a JSON body") }
        try TextRules.check([
            TextRules.name(body.name, pointer: "/name"), TextRules.name(body.facilitator, pointer: "/facilitator"),
        ])
        let themeID = try body.themeId.map { try Self.uuid($0, pointer: "/theme_id") }
        guard let id = UUID(uuidString: input.path.collectiveId) else { throw APIProblem.notFound() }
        let phase = body.phase.flatMap { CyclePhase(rawValue: $0.rawValue) }
        let collective = try await Self.answering {
            try await CollectiveStore(database: database).update(tenantID: tenant, id: id) { current, cyclePhase in
                var changes = CollectiveStore.Changes(current)
                if let name = body.name { changes.name = name }
                if let facilitator = body.facilitator { changes.facilitator = facilitator }
                if let themeID { changes.themeID = themeID }
                if let phase, phase != current.phase {
                    guard phase.number == current.phase.number + 1, phase <= cyclePhase else {
                        throw APIProblem(
                            status: .conflict, code: "phase_order", title: "Phases move forward one at a time",
                            detail: "the collective is in \(current.phase.rawValue) and its cycle in \(cyclePhase.rawValue); "
                                + "a collective moves one phase forward at a time and never ahead of its cycle")
                    }
                    changes.phase = phase
                }
                return changes
            }
        }
        return .ok(.init(body: .json(.init(collective))))
    }

    func placeMember(_ input: Operations.PlaceMember.Input) async throws -> Operations.PlaceMember.Output {
        let tenant = try tenantID()
        guard let collectiveID = UUID(uuidString: input.path.collectiveId),
              let participantID = UUID(uuidString: input.path.participantId) else {
            throw APIProblem.notFound()
        }
        let collective = try await Self.answering {
            try await CollectiveStore(database: database).place(
                tenantID: tenant, collectiveID: collectiveID, participantID: participantID)
        }
        return .ok(.init(body: .json(.init(collective))))
    }

    /// Runs a store call, answering its refusals as problems.
    static func answering<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let refusal as CollectiveStore.Refusal {
            switch refusal {
            case .notFound:
                throw APIProblem.notFound()
            case .themeNotInCycle:
                throw APIProblem.unfit([.init(pointer: "/theme_id", detail: "is not a theme of this collective's cycle")])
            case .participantNotInCycle:
                throw APIProblem(
                    status: .unprocessableContent, code: "not_in_cycle", title: "The participant is not in this cycle",
                    detail: "only participants who answered the cycle's intake survey can join its collectives")
            case .full(let capacity):
                throw APIProblem(
                    status: .conflict, code: "collective_full", title: "The collective is full",
                    detail: "it already has \(capacity) members, the most the cycle allows")
            }
        }
    }

    static func uuid(_ text: String, pointer: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else { throw APIProblem.invalid(pointer, "must be a UUID") }
        return id
    }
}

extension Components.Schemas.Collective {
    init(_ collective: Collective) {
        self.init(
            id: collective.id.uuidString.lowercased(), cycleId: collective.cycleID.uuidString.lowercased(),
            name: collective.name, themeId: collective.themeID?.uuidString.lowercased(),
            phase: Components.Schemas.CyclePhase(rawValue: collective.phase.rawValue) ?? .formingCollectives,
            facilitator: collective.facilitator,
            members: collective.members.map { member in
                .init(
                    participantId: member.participantID.uuidString.lowercased(), externalId: member.externalID,
                    name: member.name, role: Components.Schemas.ParticipantRole(rawValue: member.role.rawValue) ?? .other,
                    district: member.district, school: member.school, locked: member.locked)
            },
            memberCount: collective.members.count, createdAt: collective.createdAt, updatedAt: collective.updatedAt)
    }
}

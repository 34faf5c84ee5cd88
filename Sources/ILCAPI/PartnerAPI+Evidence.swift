import Foundation
import ILCCore
import ILCStore
import OpenAPIRuntime

extension PartnerAPI {
    func recordEvidence(_ input: Operations.RecordEvidence.Input) async throws -> Operations.RecordEvidence.Output {
        let tenant = try tenantID()
        guard case .json(let records) = input.body else { throw APIProblem.invalid("", "expected a JSON body") }
        guard (1...1_000).contains(records.count) else { throw APIProblem.invalid("", "send 1–1000 records") }
        var problems: [APIProblem.FieldError?] = []
        var drafts: [EvidenceDraft] = []
        for (index, record) in records.enumerated() {
            let pointer = "/\(index)"
            let indicator = UUID(uuidString: record.indicatorId)
            if indicator == nil { problems.append(.init(pointer: pointer + "/indicator_id", detail: "must be a UUID")) }
            if !CalendarDate.isValid(record.observedOn) {
                problems.append(.init(pointer: pointer + "/observed_on", detail: "must be a date such as 2026-11-01"))
            }
            if let n = record.n, !(0...100_000_000).contains(n) {
                problems.append(.init(pointer: pointer + "/n", detail: "must be between 0 and 100000000"))
            }
            problems += [
                TextRules.text(record.note, pointer: pointer + "/note", maximum: 20_000),
                TextRules.name(record.source, pointer: pointer + "/source", maximum: 500),
            ]
            drafts.append(EvidenceDraft(
                indicatorID: indicator ?? UUID(), category: record.category.flatMap { EvidenceCategory(rawValue: $0.rawValue) },
                value: record.value, sampleSize: record.n, observedOn: record.observedOn, note: record.note ?? "",
                source: record.source))
        }
        try TextRules.check(problems)
        guard let collectiveID = UUID(uuidString: input.path.collectiveId) else { throw APIProblem.notFound() }
        do {
            let stored = try await EvidenceStore(database: database).record(
                tenantID: tenant, collectiveID: collectiveID, drafts: drafts)
            return .created(.init(body: .json(stored.map(Components.Schemas.Evidence.init))))
        } catch let refusal as EvidenceStore.Refusal {
            throw Self.problem(refusal)
        }
    }

    func listEvidence(_ input: Operations.ListEvidence.Input) async throws -> Operations.ListEvidence.Output {
        let tenant = try tenantID()
        let (limit, cursor) = try PageCursor.page(limit: input.query.limit, cursor: input.query.cursor)
        let query = input.query
        var problems: [APIProblem.FieldError] = []
        for (name, date) in [("from", query.from), ("to", query.to)] {
            if let date, !CalendarDate.isValid(date) { problems.append(.init(pointer: "/\(name)", detail: "must be a date such as 2026-11-01")) }
        }
        let indicatorID = query.indicatorId.flatMap(UUID.init(uuidString:))
        if query.indicatorId != nil, indicatorID == nil { problems.append(.init(pointer: "/indicator_id", detail: "must be a UUID")) }
        try TextRules.check(problems)
        let filter = EvidenceFilter(
            category: query.category.flatMap { EvidenceCategory(rawValue: $0.rawValue) }, indicatorID: indicatorID,
            from: query.from, to: query.to)
        guard let collectiveID = UUID(uuidString: input.path.collectiveId),
              let evidence = try await EvidenceStore(database: database).list(
                tenantID: tenant, collectiveID: collectiveID, filter: filter, before: cursor, limit: limit + 1) else {
            throw APIProblem.notFound()
        }
        let (page, next) = PageCursor.split(evidence, limit: limit, id: \.id)
        return .ok(.init(body: .json(.init(data: page.map(Components.Schemas.Evidence.init), next: next))))
    }

    func createReflection(_ input: Operations.CreateReflection.Input) async throws -> Operations.CreateReflection.Output {
        let tenant = try tenantID()
        guard case .json(let body) = input.body else { throw APIProblem.invalid("", "expected a JSON body") }
        var problems: [APIProblem.FieldError?] = [
            TextRules.text(body.wentWell, pointer: "/went_well", maximum: 20_000),
            TextRules.text(body.didNotGoWell, pointer: "/did_not_go_well", maximum: 20_000),
            TextRules.text(body.nextSteps, pointer: "/next_steps", maximum: 20_000),
        ]
        let author = body.authorParticipantId.flatMap(UUID.init(uuidString:))
        if body.authorParticipantId != nil, author == nil {
            problems.append(.init(pointer: "/author_participant_id", detail: "must be a UUID"))
        }
        try TextRules.check(problems)
        guard let collectiveID = UUID(uuidString: input.path.collectiveId) else { throw APIProblem.notFound() }
        do {
            let reflection = try await EvidenceStore(database: database).reflect(
                tenantID: tenant, collectiveID: collectiveID, phase: body.phase.flatMap { CyclePhase(rawValue: $0.rawValue) },
                wentWell: body.wentWell ?? "", didNotGoWell: body.didNotGoWell ?? "", nextSteps: body.nextSteps ?? "",
                author: author)
            return .created(.init(body: .json(.init(reflection))))
        } catch let refusal as EvidenceStore.Refusal {
            throw Self.problem(refusal)
        }
    }

    func listReflections(_ input: Operations.ListReflections.Input) async throws -> Operations.ListReflections.Output {
        let tenant = try tenantID()
        let (limit, cursor) = try PageCursor.page(limit: input.query.limit, cursor: input.query.cursor)
        guard let collectiveID = UUID(uuidString: input.path.collectiveId),
              let reflections = try await EvidenceStore(database: database).reflections(
                tenantID: tenant, collectiveID: collectiveID, phase: input.query.phase.flatMap { CyclePhase(rawValue: $0.rawValue) },
                before: cursor, limit: limit + 1) else {
            throw APIProblem.notFound()
        }
        let (page, next) = PageCursor.split(reflections, limit: limit, id: \.id)
        return .ok(.init(body: .json(.init(data: page.map(Components.Schemas.Reflection.init), next: next))))
    }

    private static func problem(_ refusal: EvidenceStore.Refusal) -> APIProblem {
        switch refusal {
        case .notFound:
            return APIProblem.notFound()
        case .unknownIndicators(let positions):
            return APIProblem.unfit(positions.map {
                .init(pointer: "/\($0)/indicator_id", detail: "is not an indicator of this collective's placemat")
            })
        case .missingCategories(let positions):
            return APIProblem.unfit(positions.map {
                .init(pointer: "/\($0)/category", detail: "is required: the indicator has no category")
            })
        case .authorNotMember:
            return APIProblem.unfit([.init(pointer: "/author_participant_id", detail: "is not a member of this collective")])
        }
    }
}

extension Components.Schemas.Evidence {
    init(_ evidence: Evidence) {
        self.init(
            id: evidence.id.uuidString.lowercased(), collectiveId: evidence.collectiveID.uuidString.lowercased(),
            indicatorId: evidence.indicatorID.uuidString.lowercased(),
            category: Components.Schemas.EvidenceCategory(rawValue: evidence.category.rawValue) ?? .schoolProcesses,
            value: evidence.value, n: evidence.sampleSize, observedOn: evidence.observedOn, note: evidence.note,
            source: evidence.source, createdAt: evidence.createdAt)
    }
}

extension Components.Schemas.Reflection {
    init(_ reflection: Reflection) {
        self.init(
            id: reflection.id.uuidString.lowercased(), collectiveId: reflection.collectiveID.uuidString.lowercased(),
            phase: Components.Schemas.CyclePhase(rawValue: reflection.phase.rawValue) ?? .collectingEvidence,
            wentWell: reflection.wentWell, didNotGoWell: reflection.didNotGoWell, nextSteps: reflection.nextSteps,
            authorParticipantId: reflection.authorParticipantID?.uuidString.lowercased(), createdAt: reflection.createdAt)
    }
}

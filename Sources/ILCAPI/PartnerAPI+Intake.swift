import Foundation
import ILCCore
import ILCStore
import OpenAPIRuntime

extension PartnerAPI {
    func submitSurveyResponses(
        _ input: Operations.SubmitSurveyResponses.Input
    ) async throws -> Operations.SubmitSurveyResponses.Output {
        let tenant = try tenantID()
        let entries: [IntakeEntry]
        switch input.body {
        case .json(let submission):
            entries = submission.entries
        case .csv(let body):
            // The body middleware already bounded the size.
            entries = try IntakeCSV.entries(from: try await [UInt8](collecting: body, upTo: .max))
        }
        let (drafts, errors, rejected) = Self.validate(entries)
        let notFound = Operations.SubmitSurveyResponses.Output.notFound(
            .init(body: .applicationProblemJson(APIProblem.notFound().document)))
        guard let cycleID = UUID(uuidString: input.path.cycleId) else { return notFound }
        guard !drafts.isEmpty else {
            // A missing cycle is a 404 whatever the body holds.
            guard try await CycleStore(database: database).find(tenantID: tenant, id: cycleID) != nil else { return notFound }
            var problem = APIProblem.invalid(errors[0].pointer, errors[0].detail)
            problem.errors = errors
            return .badRequest(.init(body: .applicationProblemJson(problem.document)))
        }
        guard let outcome = try await SurveyResponseStore(database: database).submit(
                tenantID: tenant, cycleID: cycleID, responses: drafts) else {
            return notFound
        }
        logger.info("survey responses stored", metadata: [
            "tenant": "\(tenant)", "cycle": "\(cycleID)", "created": "\(outcome.created)",
            "updated": "\(outcome.updated)", "rejected": "\(rejected)",
        ])
        return .ok(.init(body: .json(.init(
            received: entries.count, created: outcome.created, updated: outcome.updated, rejected: rejected,
            errors: errors.map(Components.Schemas.FieldError.init)))))
    }

    func listSurveyResponses(
        _ input: Operations.ListSurveyResponses.Input
    ) async throws -> Operations.ListSurveyResponses.Output {
        let tenant = try tenantID()
        let (limit, cursor) = try PageCursor.page(limit: input.query.limit, cursor: input.query.cursor)
        let query = input.query
        let texts = [("district", query.district), ("school", query.school), ("region", query.region), ("external_id", query.externalId)]
        let badFilters = texts.compactMap { name, value -> APIProblem.FieldError? in
            guard let value else { return nil }
            let fits = (1...200).contains(value.count) && !value.unicodeScalars.contains { $0.value < 0x20 }
            return fits ? nil : .init(pointer: "/\(name)", detail: "must be 1–200 characters without control characters")
        }
        if !badFilters.isEmpty {
            var problem = APIProblem.invalid(badFilters[0].pointer, badFilters[0].detail)
            problem.errors = badFilters
            throw problem
        }
        let filter = SurveyResponseFilter(
            role: query.role.flatMap { ParticipantRole(rawValue: $0.rawValue) }, district: query.district,
            school: query.school, region: query.region, externalID: query.externalId)
        guard let cycleID = UUID(uuidString: input.path.cycleId),
              let responses = try await SurveyResponseStore(database: database).list(
                tenantID: tenant, cycleID: cycleID, filter: filter, before: cursor, limit: limit + 1) else {
            return .notFound(.init(body: .applicationProblemJson(APIProblem.notFound().document)))
        }
        let (page, next) = PageCursor.split(responses, limit: limit, id: \.id)
        return .ok(.init(body: .json(.init(data: page.map(Components.Schemas.SurveyResponse.init), next: next))))
    }

    /// Each row's problems (reading and validating), and the good rows. A participant
    /// named twice in one request is stored once: later rows with the same external id
    /// are reported, so what was stored is never a guess.
    static func validate(_ entries: [IntakeEntry]) -> (drafts: [SurveyResponseDraft], errors: [APIProblem.FieldError], rejected: Int) {
        var drafts: [SurveyResponseDraft] = []
        var errors: [APIProblem.FieldError] = []
        var rejected = 0
        var firstRowOfParticipant: [String: Int] = [:]
        for (position, entry) in entries.enumerated() {
            var problems = entry.problems
            var draft: SurveyResponseDraft?
            // A row that could not be read as a whole (not an object, a short CSV line)
            // has no fields worth checking one by one.
            if !problems.contains(where: { $0.field.isEmpty }) {
                switch entry.row.validated() {
                case .success(let valid): draft = valid
                case .failure(let invalid): problems += invalid.problems.filter { !problems.map(\.field).contains($0.field) }
                }
            }
            if problems.isEmpty, let valid = draft {
                if let earlier = firstRowOfParticipant[valid.participant.externalID] {
                    problems.append(ValidationError(
                        field: IntakeRow.Field.externalID.rawValue,
                        message: "names the same participant as row \(earlier); send one response per participant"))
                } else {
                    firstRowOfParticipant[valid.participant.externalID] = entry.index ?? position
                    drafts.append(valid)
                    continue
                }
            }
            rejected += 1
            for problem in problems {
                // CSV rows are flat: their fields are named by column.
                let field = entry.line == nil ? problem.field : Self.csvColumn(problem.field)
                errors.append(APIProblem.FieldError(
                    pointer: entry.pointer(field), detail: problem.message, index: entry.index, line: entry.line))
            }
        }
        return (drafts, errors, rejected)
    }

    private static func csvColumn(_ field: String) -> String {
        field.hasPrefix("participant/") ? String(field.dropFirst("participant/".count)) : field
    }
}

extension Components.Schemas.FieldError {
    init(_ error: APIProblem.FieldError) {
        self.init(pointer: error.pointer, detail: error.detail, index: error.index, line: error.line)
    }
}

extension Components.Schemas.SurveyResponse {
    init(_ response: SurveyResponse) {
        let participant = response.participant
        self.init(
            id: response.id.uuidString.lowercased(), cycleId: response.cycleID.uuidString.lowercased(),
            participant: .init(
                id: response.participantID.uuidString.lowercased(), externalId: participant.externalID,
                name: participant.name, email: participant.email,
                role: Components.Schemas.ParticipantRole(rawValue: participant.role.rawValue) ?? .other,
                district: participant.district, school: participant.school, region: participant.region,
                timeZone: participant.timeZone),
            focusStatement: response.focusStatement, improvementGoals: response.improvementGoals,
            themePreferences: response.themePreferences, submittedAt: response.submittedAt,
            createdAt: response.createdAt, updatedAt: response.updatedAt)
    }
}

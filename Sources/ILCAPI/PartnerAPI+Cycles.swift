import Foundation
import ILCCore
import ILCStore
import OpenAPIRuntime

extension PartnerAPI {
    func listCycles(_ input: Operations.ListCycles.Input) async throws -> Operations.ListCycles.Output {
        let tenant = try tenantID()
        let (limit, cursor) = try PageCursor.page(limit: input.query.limit, cursor: input.query.cursor)
        let cycles = try await CycleStore(database: database).list(tenantID: tenant, before: cursor, limit: limit + 1)
        let (page, next) = PageCursor.split(cycles, limit: limit, id: \.id)
        return .ok(.init(body: .json(.init(data: page.map(Components.Schemas.Cycle.init), next: next))))
    }

    func createCycle(_ input: Operations.CreateCycle.Input) async throws -> Operations.CreateCycle.Output {
        let tenant = try tenantID()
        guard case .json(let body) = input.body else { throw APIProblem.invalid("", "expected a JSON body") }
        var settings = CycleSettings()
        if let given = body.settings { Self.apply(given, to: &settings) }
        if let problem = Self.validate(name: body.name, startsOn: body.startsOn, endsOn: body.endsOn, settings: settings) {
            return problem.status == .badRequest
                ? .badRequest(.init(body: .applicationProblemJson(problem.document)))
                : .unprocessableContent(.init(body: .applicationProblemJson(problem.document)))
        }
        let cycle = try await CycleStore(database: database).create(
            tenantID: tenant, name: body.name, startsOn: body.startsOn, endsOn: body.endsOn, settings: settings)
        return .created(
            .init(headers: .init(location: "/v1/cycles/\(cycle.id.uuidString.lowercased())"), body: .json(.init(cycle))))
    }

    func getCycle(_ input: Operations.GetCycle.Input) async throws -> Operations.GetCycle.Output {
        let tenant = try tenantID()
        guard let id = UUID(uuidString: input.path.cycleId),
              let cycle = try await CycleStore(database: database).find(tenantID: tenant, id: id) else {
            return .notFound(.init(body: .applicationProblemJson(APIProblem.notFound().document)))
        }
        return .ok(.init(body: .json(.init(cycle))))
    }

    func updateCycle(_ input: Operations.UpdateCycle.Input) async throws -> Operations.UpdateCycle.Output {
        let tenant = try tenantID()
        guard case .json(let body) = input.body else { throw APIProblem.invalid("", "expected a JSON body") }
        guard let id = UUID(uuidString: input.path.cycleId) else {
            return .notFound(.init(body: .applicationProblemJson(APIProblem.notFound().document)))
        }
        do {
            let updated = try await CycleStore(database: database).update(tenantID: tenant, id: id) { current in
                var next = current
                if let name = body.name { next.name = name }
                if let startsOn = body.startsOn { next.startsOn = startsOn }
                if let endsOn = body.endsOn { next.endsOn = endsOn }
                if let given = body.settings { Self.apply(given, to: &next.settings) }
                if let problem = Self.validate(name: next.name, startsOn: next.startsOn, endsOn: next.endsOn, settings: next.settings) {
                    throw problem
                }
                if let phase = body.phase.flatMap({ CyclePhase(rawValue: $0.rawValue) }), phase != current.phase {
                    guard phase.number == current.phase.number + 1 else {
                        throw APIProblem(
                            status: .conflict, code: "phase_order", title: "Phases move forward one at a time",
                            detail: "the cycle is in \(current.phase.rawValue); the next phase is "
                                + (CyclePhase.allCases.first { $0.number == current.phase.number + 1 }?.rawValue ?? "none"))
                    }
                    next.phase = phase
                }
                return next
            }
            guard let updated else { return .notFound(.init(body: .applicationProblemJson(APIProblem.notFound().document))) }
            return .ok(.init(body: .json(.init(updated))))
        } catch let problem as APIProblem where problem.status == .badRequest {
            return .badRequest(.init(body: .applicationProblemJson(problem.document)))
        } catch let problem as APIProblem where problem.status == .unprocessableContent {
            return .unprocessableContent(.init(body: .applicationProblemJson(problem.document)))
        } catch let problem as APIProblem where problem.status == .conflict {
            return .conflict(.init(body: .applicationProblemJson(problem.document)))
        }
    }

    private static func apply(_ input: Components.Schemas.CycleSettingsInput, to settings: inout CycleSettings) {
        if let value = input.groupSizeMin { settings.groupSizeMin = value }
        if let value = input.groupSizeMax { settings.groupSizeMax = value }
        if let value = input.maxPerDistrict { settings.maxPerDistrict = value }
        if let value = input.minRoles { settings.minRoles = value }
        if let value = input.maxGroups { settings.maxGroups = value == 0 ? nil : value }
        if let value = input.maxUtcSpreadHours { settings.maxUTCSpreadHours = value == CycleSettings.widestUTCSpread ? nil : value }
        if let value = input.themeCatalog { settings.themeCatalog = value }
        if let value = input.sharingPolicy.flatMap({ SharingPolicy(rawValue: $0.rawValue) }) { settings.sharingPolicy = value }
        if let value = input.suppressionThreshold { settings.suppressionThreshold = value }
    }

    /// Every field on its own first (400, all at once); then the rules between fields
    /// (422), which a schema cannot state.
    private static func validate(name: String, startsOn: String?, endsOn: String?, settings: CycleSettings) -> APIProblem? {
        var problems: [APIProblem.FieldError] = []
        if !(1...200).contains(name.codePointCount) || name.allSatisfy(\.isWhitespace) || name.contains("\u{0}") {
            problems.append(.init(pointer: "/name", detail: "must be 1–200 characters, not only spaces, no NUL"))
        }
        if let startsOn, !CalendarDate.isValid(startsOn) {
            problems.append(.init(pointer: "/starts_on", detail: "must be a date such as 2026-09-01"))
        }
        if let endsOn, !CalendarDate.isValid(endsOn) {
            problems.append(.init(pointer: "/ends_on", detail: "must be a date such as 2027-06-30"))
        }
        problems += settings.problems().map { .init(pointer: "/settings/\($0.field)", detail: $0.message) }
        if !problems.isEmpty { return APIProblem.invalid(problems) }
        var conflicts = settings.conflicts().map { APIProblem.FieldError(pointer: "/settings/\($0.field)", detail: $0.message) }
        if let startsOn, let endsOn, endsOn < startsOn {
            conflicts.append(.init(pointer: "/ends_on", detail: "must not be before starts_on (\(startsOn))"))
        }
        guard !conflicts.isEmpty else { return nil }
        return APIProblem.unfit(conflicts)
    }
}

extension Components.Schemas.Cycle {
    init(_ cycle: Cycle) {
        self.init(
            id: cycle.id.uuidString.lowercased(), name: cycle.name,
            phase: Components.Schemas.CyclePhase(rawValue: cycle.phase.rawValue) ?? .gatheringThemes,
            startsOn: cycle.startsOn, endsOn: cycle.endsOn,
            settings: .init(
                groupSizeMin: cycle.settings.groupSizeMin, groupSizeMax: cycle.settings.groupSizeMax,
                maxPerDistrict: cycle.settings.maxPerDistrict, minRoles: cycle.settings.minRoles,
                maxGroups: cycle.settings.maxGroups, maxUtcSpreadHours: cycle.settings.maxUTCSpreadHours,
                themeCatalog: cycle.settings.themeCatalog,
                sharingPolicy: Components.Schemas.SharingPolicy(rawValue: cycle.settings.sharingPolicy.rawValue) ?? .withinTenant,
                suppressionThreshold: cycle.settings.suppressionThreshold),
            createdAt: cycle.createdAt, updatedAt: cycle.updatedAt)
    }
}

import Foundation
import ILCCore
import ILCStore
import OpenAPIRuntime

extension PartnerAPI {
    func getPlacemat(_ input: Operations.GetPlacemat.Input) async throws -> Operations.GetPlacemat.Output {
        let tenant = try tenantID()
        guard let id = UUID(uuidString: input.path.collectiveId),
              let placemat = try await PlacematStore(database: database).find(tenantID: tenant, collectiveID: id) else {
            throw APIProblem.notFound()
        }
        return .ok(.init(headers: .init(eTag: Self.eTag(placemat.version)), body: .json(.init(placemat))))
    }

    func putPlacemat(_ input: Operations.PutPlacemat.Input) async throws -> Operations.PutPlacemat.Output {
        let tenant = try tenantID()
        guard case .json(let body) = input.body else { throw APIProblem.invalid("", "expected a JSON body") }
        let draft = try Self.draft(body)
        guard let id = UUID(uuidString: input.path.collectiveId) else { throw APIProblem.notFound() }
        // `*` (or no header) writes over whatever is there.
        let expected = try input.headers.ifMatch.flatMap { header -> Int? in
            let tag = header.trimmingCharacters(in: .whitespaces)
            guard tag != "*" else { return nil }
            return try Self.version(fromETag: tag)
        }
        do {
            let placemat = try await PlacematStore(database: database).write(
                tenantID: tenant, collectiveID: id, expectedVersion: expected, draft: draft)
            return .ok(.init(headers: .init(eTag: Self.eTag(placemat.version)), body: .json(.init(placemat))))
        } catch let refusal as PlacematStore.Refusal {
            switch refusal {
            case .notFound:
                throw APIProblem.notFound()
            case .stale(_, let current):
                throw APIProblem(
                    status: .preconditionFailed, code: "stale_version", title: "The placemat changed since it was read",
                    detail: "the current version is \(current) (ETag \(Self.eTag(current))); read it again and reapply the change")
            case .unknownIndicator(let index):
                throw APIProblem.unfit([
                    .init(pointer: "/indicators/\(index)/id", detail: "is not an indicator of this placemat; leave it out to add one"),
                ])
            case .indicatorHasEvidence(let indicator):
                throw APIProblem(
                    status: .conflict, code: "indicator_has_evidence", title: "The indicator has evidence",
                    detail: "indicator \(indicator.uuidString.lowercased()) has evidence recorded against it; keep it in the placemat")
            }
        }
    }

    static func eTag(_ version: Int) -> String { "\"\(version)\"" }

    /// A version from an `If-Match` value such as `"3"`.
    static func version(fromETag tag: String) throws -> Int {
        // Quoted as sent out, or the bare number.
        let bare = tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag
        let quoted = bare.count >= 3 && bare.hasPrefix("\"") && bare.hasSuffix("\"")
        let digits = quoted ? bare.dropFirst().dropLast() : Substring(bare)
        guard (1...18).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let version = Int(digits) else {
            throw APIProblem.invalid("/If-Match", "must be an ETag this API gave out, such as \"3\", or *")
        }
        return version
    }

    static func draft(_ body: Components.Schemas.PlacematInput) throws -> PlacematDraft {
        var problems: [APIProblem.FieldError?] = [
            TextRules.text(body.problemOfPractice, pointer: "/problem_of_practice", maximum: 20_000),
            TextRules.text(body.theoryOfAction, pointer: "/theory_of_action", maximum: 20_000),
        ]
        for (index, priority) in (body.priorities ?? []).enumerated() {
            problems.append(TextRules.name(priority, pointer: "/priorities/\(index)", maximum: 1_000))
        }
        var indicators: [IndicatorDraft] = []
        for (index, indicator) in (body.indicators ?? []).enumerated() {
            let pointer = "/indicators/\(index)"
            problems += [
                TextRules.name(indicator.name, pointer: pointer + "/name"),
                TextRules.text(indicator.description, pointer: pointer + "/description", maximum: 2_000),
                TextRules.name(indicator.unit, pointer: pointer + "/unit", maximum: 50),
            ]
            for (field, date) in [("baseline_on", indicator.baselineOn), ("target_on", indicator.targetOn)] {
                if let date, !CalendarDate.isValid(date) {
                    problems.append(.init(pointer: "\(pointer)/\(field)", detail: "must be a date such as 2026-09-01"))
                }
            }
            var id: UUID?
            if let text = indicator.id {
                id = UUID(uuidString: text)
                if id == nil { problems.append(.init(pointer: pointer + "/id", detail: "must be a UUID")) }
            }
            indicators.append(IndicatorDraft(
                id: id, name: indicator.name, kind: indicator.kind == .leading ? .leading : .lagging,
                description: indicator.description ?? "",
                category: indicator.category.flatMap { EvidenceCategory(rawValue: $0.rawValue) }, unit: indicator.unit,
                direction: indicator.direction == .decrease ? .decrease : .increase, baseline: indicator.baseline,
                baselineOn: indicator.baselineOn, target: indicator.target, targetOn: indicator.targetOn))
        }
        let ids = indicators.compactMap(\.id)
        if Set(ids).count != ids.count {
            problems.append(.init(pointer: "/indicators", detail: "names one indicator id twice"))
        }
        try TextRules.check(problems)
        return PlacematDraft(
            problemOfPractice: body.problemOfPractice ?? "", priorities: body.priorities ?? [],
            theoryOfAction: body.theoryOfAction ?? "", indicators: indicators)
    }
}

extension Components.Schemas.Placemat {
    init(_ placemat: Placemat) {
        self.init(
            collectiveId: placemat.collectiveID.uuidString.lowercased(), version: placemat.version,
            problemOfPractice: placemat.content.problemOfPractice, priorities: placemat.content.priorities,
            theoryOfAction: placemat.content.theoryOfAction,
            indicators: placemat.content.indicators.map { indicator in
                .init(
                    id: (indicator.id ?? UUID()).uuidString.lowercased(), name: indicator.name,
                    kind: indicator.kind == .leading ? .leading : .lagging, description: indicator.description,
                    category: indicator.category.flatMap { Components.Schemas.EvidenceCategory(rawValue: $0.rawValue) },
                    unit: indicator.unit, direction: indicator.direction == .decrease ? .decrease : .increase,
                    baseline: indicator.baseline, baselineOn: indicator.baselineOn, target: indicator.target,
                    targetOn: indicator.targetOn)
            },
            updatedAt: placemat.updatedAt)
    }
}

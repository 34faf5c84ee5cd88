import Foundation
import ILCStore
import OpenAPIRuntime

extension PartnerAPI {
    func listThemes(_ input: Operations.ListThemes.Input) async throws -> Operations.ListThemes.Output {
        let tenant = try tenantID()
        guard let cycleID = UUID(uuidString: input.path.cycleId),
              let themes = try await ThemeStore(database: database).list(tenantID: tenant, cycleID: cycleID) else {
            throw APIProblem.notFound()
        }
        return .ok(.init(body: .json(.init(data: themes.map(Components.Schemas.Theme.init)))))
    }

    func updateTheme(_ input: Operations.UpdateTheme.Input) async throws -> Operations.UpdateTheme.Output {
        let tenant = try tenantID()
        guard case .json(let body) = input.body else { throw APIProblem.invalid("", "expected a JSON body") }
        try TextRules.check([TextRules.name(body.label, pointer: "/label")])
        guard let id = UUID(uuidString: input.path.themeId),
              let theme = try await ThemeStore(database: database).update(
                tenantID: tenant, id: id, label: body.label, approved: body.approved) else {
            throw APIProblem.notFound()
        }
        return .ok(.init(body: .json(.init(theme))))
    }

    func mergeTheme(_ input: Operations.MergeTheme.Input) async throws -> Operations.MergeTheme.Output {
        let tenant = try tenantID()
        guard case .json(let body) = input.body else { throw APIProblem.invalid("", "expected a JSON body") }
        let target = try Self.uuid(body.intoThemeId, pointer: "/into_theme_id")
        guard let source = UUID(uuidString: input.path.themeId) else { throw APIProblem.notFound() }
        do {
            let merged = try await ThemeStore(database: database).merge(tenantID: tenant, sourceID: source, into: target)
            return .ok(.init(body: .json(.init(merged))))
        } catch let refusal as ThemeStore.Refusal {
            switch refusal {
            case .notFound:
                throw APIProblem.notFound()
            case .sameTheme:
                throw APIProblem.unfit([.init(pointer: "/into_theme_id", detail: "is this theme; merge it into another")])
            case .differentCycles:
                throw APIProblem.unfit([.init(pointer: "/into_theme_id", detail: "is a theme of another cycle")])
            }
        }
    }
}

extension Components.Schemas.Theme {
    init(_ theme: Theme) {
        self.init(
            id: theme.id.uuidString.lowercased(), cycleId: theme.cycleID.uuidString.lowercased(), label: theme.label,
            catalogKey: theme.catalogKey, keywords: theme.keywords, size: theme.size, cohesion: theme.cohesion,
            quotes: theme.quotes.map { .init(responseId: $0.responseID?.uuidString.lowercased(), text: $0.text) },
            approved: theme.approvedAt != nil, approvedAt: theme.approvedAt, createdAt: theme.createdAt,
            updatedAt: theme.updatedAt)
    }
}

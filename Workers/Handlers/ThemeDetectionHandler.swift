import Foundation
import ILCAnalysis
import ILCCore
import ILCQueue
import ILCStore

/// `theme-detection`: finds the themes of a cycle's intake answers (`ThemeDetector`)
/// and stores them with every response's assignment in one transaction, replacing the
/// previous proposal — unless facilitators approved themes, which a re-run would
/// discard: then it fails and says so.
struct ThemeDetectionHandler: JobHandler {
    let type = "theme-detection"
    let compute: ComputeThreads

    private struct Payload: Decodable {
        var cycleID: UUID
        var seed: UInt64?
        var maxThemes: Int?

        enum CodingKeys: String, CodingKey {
            case cycleID = "cycle_id"
            case seed
            case maxThemes = "max_themes"
        }
    }

    func run(_ context: JobContext) async throws -> String {
        let payload = try context.decodePayload(Payload.self)
        let store = ThemeStore(database: context.database)
        await context.reportProgress(percent: 0, message: "reading responses")
        guard let cycle = try await CycleStore(database: context.database).find(tenantID: context.tenantID, id: payload.cycleID),
              let responses = try await store.detectionTexts(tenantID: context.tenantID, cycleID: payload.cycleID) else {
            throw JobFailure(title: "The cycle does not exist", detail: "cycle \(payload.cycleID) was deleted", retryable: false)
        }
        guard responses.count >= 2 else {
            throw JobFailure(
                title: "Too few survey responses", detail: "the cycle has \(responses.count); theme detection needs at least 2",
                retryable: false)
        }
        try Task.checkCancellation()

        let maximum = max(2, payload.maxThemes ?? 12)
        let settings = ThemeDetector.Settings(
            themeCount: min(3, maximum)...maximum, seed: payload.seed ?? 1,
            catalog: ThemeCatalog.builtIn.extended(with: cycle.settings.themeCatalog.map(Self.catalogEntry)))
        let inputs = responses.map { ThemeInput(id: $0.responseID.uuidString, text: $0.text) }
        let result = try await detect(inputs, settings: settings, context: context)
        try Task.checkCancellation()

        await context.reportProgress(percent: 90, message: "storing themes")
        let proposal = Self.proposal(from: result)
        do {
            try await store.replaceProposal(
                tenantID: context.tenantID, cycleID: payload.cycleID, jobID: context.jobID, proposal: proposal)
        } catch ThemeStore.ProposalRefusal.approvedThemes(let count) {
            throw JobFailure(
                title: "Themes of this cycle are approved",
                detail: "\(count) approved theme(s) would be replaced; withdraw the approvals to detect themes again",
                retryable: false)
        }
        let assigned = result.assignments.filter { $0.themeID != nil }.count
        return try JobResult.counts([
            "themes": result.themes.count, "responses": responses.count, "assigned": assigned,
            "unassigned": responses.count - assigned,
        ])
    }

    /// Runs the detector on the compute threads while its stages report progress.
    private func detect(_ inputs: [ThemeInput], settings: ThemeDetector.Settings, context: JobContext) async throws -> ThemeDetectionResult {
        try await compute.run { report in
            ThemeDetector(settings: settings).detect(inputs) { report(($0, $1)) }
        } progress: { (step: (stage: ThemeDetector.Stage, fraction: Double)) in
            await context.reportProgress(percent: Self.percent(step.stage, step.fraction), message: step.stage.rawValue)
        }
    }

    static func percent(_ stage: ThemeDetector.Stage, _ fraction: Double) -> Double {
        switch stage {
        case .vectorizing: 5 + 10 * fraction
        case .choosingThemeCount: 15 + 55 * fraction
        case .clustering: 70 + 10 * fraction
        case .describing: 80 + 10 * fraction
        }
    }

    /// A cycle's own theme names join the catalog; their words are their keywords.
    static func catalogEntry(_ name: String) -> ThemeCatalog.Entry {
        let key = name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        return ThemeCatalog.Entry(key: key, label: name, keywords: [name])
    }

    static func proposal(from result: ThemeDetectionResult) -> ThemeProposal {
        let ids = Dictionary(uniqueKeysWithValues: result.themes.map { ($0.id, TimeOrderedID.make()) })
        let themes = result.themes.map { theme in
            ThemeProposal.ProposedTheme(
                id: ids[theme.id] ?? TimeOrderedID.make(), label: String(theme.label.prefix(200)), catalogKey: theme.catalogKey,
                keywords: theme.keywords, size: theme.size, cohesion: theme.cohesion,
                quotes: theme.quotes.map { Theme.Quote(responseID: UUID(uuidString: $0.id), text: $0.text) })
        }
        let assignments = result.assignments.compactMap { assignment -> ThemeProposal.Assignment? in
            guard let responseID = UUID(uuidString: assignment.id) else { return nil }
            return ThemeProposal.Assignment(
                responseID: responseID, themeID: assignment.themeID.flatMap { ids[$0] }, score: assignment.score,
                secondThemeID: assignment.secondThemeID.flatMap { ids[$0] }, secondScore: assignment.secondScore)
        }
        return ThemeProposal(themes: themes, assignments: assignments)
    }
}

import Foundation
import ILCCore

/// One demo agency's cycle, phase by phase, through the partner API.
struct DemoCycle {
    let agency: DemoPopulation.Agency
    let client: DemoClient
    let participants: Int
    let seed: UInt64
    let output: URL

    func run() async throws -> DemoSummary {
        let policy = agency.sharesWithNetwork ? "network" : "within_tenant"
        let cycle = try await client.object("POST", "v1/cycles", body: [
            "name": "Demo cycle \(Date().formatted(.iso8601))", "settings": ["sharing_policy": policy],
        ])
        let cycleID = cycle["id"] as? String ?? ""

        // Phase 1: intake, in batches as a partner's survey tool would send them.
        let answers = DemoPopulation.responses(for: agency, count: participants, seed: seed)
        var accepted = 0
        for start in stride(from: 0, to: answers.count, by: 1_000) {
            let batch = Array(answers[start..<min(start + 1_000, answers.count)])
            let result = try await client.object("POST", "v1/cycles/\(cycleID)/survey-responses", body: batch)
            accepted += (result["created"] as? Int ?? 0) + (result["updated"] as? Int ?? 0)
        }
        print("  intake: \(accepted) answers")
        _ = try await client.run("theme detection", "v1/cycles/\(cycleID)/theme-detection", body: ["seed": Int(seed % 1_000_000)])
        let themes = try await client.all("v1/cycles/\(cycleID)/themes")
        print("  themes: " + themes.prefix(6).map { "\($0["label"] as? String ?? "?") (\($0["size"] as? Int ?? 0))" }.joined(separator: ", "))

        // Phase 2: collectives.
        try await move("v1/cycles/\(cycleID)", to: [.formingCollectives])
        _ = try await client.run("group formation", "v1/cycles/\(cycleID)/group-formation", body: ["seed": Int(seed % 1_000_000)])
        let collectives = try await client.all("v1/cycles/\(cycleID)/collectives")
        let sizes = collectives.map { ($0["members"] as? [Any])?.count ?? 0 }
        print("  collectives: \(collectives.count), \(sizes.min() ?? 0)–\(sizes.max() ?? 0) members")

        // Phases 3–5: placemats, then evidence over the year.
        try await move("v1/cycles/\(cycleID)", to: [.designingInquiry, .collectingEvidence])
        let labels = Dictionary(themes.compactMap { theme in
            (theme["id"] as? String).map { ($0, theme["label"] as? String ?? "our focus") }
        }) { first, _ in first }
        let evidence = try await recordInquiry(collectives, themeLabels: labels)
        print("  placemats and evidence: \(evidence) pieces of evidence")

        // Phase 6: knowledge sharing, then reports.
        try await move("v1/cycles/\(cycleID)", to: [.reviewingProgress, .sharingKnowledge])
        for collective in collectives {
            try await move("v1/collectives/\(collective["id"] as? String ?? "")", to: [.reviewingProgress, .sharingKnowledge])
        }
        let sharing = try await client.run("knowledge sharing", "v1/knowledge-sharing", body: ["cycle_id": cycleID])
        let suggestions = (sharing["result"] as? [String: Any])?["suggestions"] as? Int ?? 0
        var reports: [String] = []
        let requests: [(String, [String: Any])] = [
            ("cycle summary", ["kind": "cycle_summary", "cycle_id": cycleID, "format": "html"]),
            ("collective report", ["kind": "collective_progress", "collective_id": collectives.first?["id"] as? String ?? "", "format": "html"]),
            ("tenant overview", ["kind": "tenant_overview", "format": "html"]),
        ]
        for (label, body) in requests {
            let job = try await client.run(label, "v1/reports", body: body)
            let links = (job["result"] as? [String: Any])?["links"] as? [String: String] ?? [:]
            let (status, content) = try await client.raw("GET", String((links["content"] ?? "").dropFirst()))
            guard status == 200 else { throw DemoClient.Failure(description: "\(label): download answered \(status)") }
            let file = output.appendingPathComponent("\(agency.slug)-\(label.replacingOccurrences(of: " ", with: "-")).html")
            try content.write(to: file)
            reports.append(file.path)
        }
        return DemoSummary(
            agency: agency.name, participants: accepted, themes: themes.count, collectives: collectives.count,
            largestCollective: sizes.max() ?? 0, evidence: evidence, suggestions: suggestions, reports: reports)
    }

    /// Moves a cycle or a collective (`path`) through `phases`, one step each: the API
    /// takes phases in order, as facilitators work through them.
    private func move(_ path: String, to phases: [CyclePhase]) async throws {
        for phase in phases {
            try await client.call("PATCH", path, body: ["phase": phase.rawValue])
        }
    }

    /// A placemat per collective (its theme's problem, two indicators) and monthly
    /// evidence on both; about half the collectives move their indicators. Answers the
    /// pieces of evidence recorded.
    private func recordInquiry(_ collectives: [[String: Any]], themeLabels: [String: String]) async throws -> Int {
        var random = SplitMixRandom(seed: seed &+ 99)
        var recorded = 0
        for collective in collectives {
            let id = collective["id"] as? String ?? ""
            let theme = (collective["theme_id"] as? String).flatMap { themeLabels[$0] } ?? "our focus"
            try await move("v1/collectives/\(id)", to: [.designingInquiry, .collectingEvidence])
            let placemat = try await client.object("PUT", "v1/collectives/\(id)/placemat", body: [
                "problem_of_practice": "Across our schools, \(theme.lowercased()) is where students are furthest from where they should be.",
                "theory_of_action": "If teams study \(theme.lowercased()) together every month and act on what they see, then students will gain.",
                "indicators": [
                    ["name": "Students meeting the benchmark (%)", "kind": "lagging", "direction": "increase",
                     "baseline": 52, "baseline_on": "2026-09-15", "target": 65, "category": "student_learning"],
                    ["name": "Classrooms observed using the practice (%)", "kind": "leading", "direction": "increase",
                     "baseline": 20, "baseline_on": "2026-09-15", "target": 60, "category": "school_processes"],
                ],
            ])
            let indicators = (placemat["indicators"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            let moving = random.next() % 2 == 0
            var records: [[String: Any]] = []
            for (month, date) in ["2026-10-15", "2026-11-15", "2026-12-15", "2027-01-15", "2027-02-15"].enumerated() {
                for (position, indicator) in indicators.enumerated() {
                    let start = position == 0 ? 52.0 : 20.0
                    let step = moving ? (position == 0 ? 2.5 : 7.0) : Double(Int(random.next() % 3)) - 1
                    records.append([
                        "indicator_id": indicator, "observed_on": date, "value": start + step * Double(month + 1),
                        "n": position == 0 ? 80 + Int(random.next() % 120) : 6 + Int(random.next() % 10),
                        "note": position == 0 ? "District benchmark window" : "Walkthroughs by the collective",
                    ])
                }
            }
            try await client.call("POST", "v1/collectives/\(id)/evidence", body: records)
            recorded += records.count
        }
        return recorded
    }
}

/// What the demo did for one agency.
struct DemoSummary {
    let agency: String
    let participants, themes, collectives, largestCollective, evidence, suggestions: Int
    let reports: [String]

    static func table(_ summaries: [DemoSummary]) -> String {
        TextTable.render(
            header: ["agency", "educators", "themes", "collectives", "largest", "evidence", "shares", "reports"],
            rows: summaries.map {
                [$0.agency, "\($0.participants)", "\($0.themes)", "\($0.collectives)", "\($0.largestCollective)", "\($0.evidence)",
                 "\($0.suggestions)", "\($0.reports.count)"]
            })
    }

    static func json(_ summaries: [DemoSummary]) -> String {
        let objects: [[String: Any]] = summaries.map {
            [
                "agency": $0.agency, "participants": $0.participants, "themes": $0.themes, "collectives": $0.collectives,
                "largest_collective": $0.largestCollective, "evidence": $0.evidence, "suggestions": $0.suggestions,
                "reports": $0.reports,
            ]
        }
        let data = (try? JSONSerialization.data(withJSONObject: ["agencies": objects], options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

import ArgumentParser
import Foundation
import ILCAnalysis
import ILCCore

/// `ilc groups`: group formation on a file, offline, with the job's own code.
struct GroupsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groups",
        abstract: "Form theme-based groups (at most 10, mixed roles and districts) from a JSON file.",
        discussion: """
            Input: {"settings":{"min_size","max_size","max_per_district","min_roles","max_groups",
            "max_utc_spread_hours"},"themes":[{"id","label"}],"participants":[{"id","role","district",
            "region","utc_offset","preferences":[theme ids]}],"locks":[{"participant","group","theme"}],
            "avoid":[[a,b]],"together":[[a,b]]}; everything but themes and participants is optional.
            JSON output: {"groups":[{"id","theme","members"}],"unplaced":[{"id","reason"}],
            "folded":[{"theme","first_choices"}],"metrics":{"objective","lower_bound","optimal",
            "first_choice_pct","top3_pct","worst_rank","min_distinct_roles","min_distinct_districts",
            "violations":{rule: count},…}}. Problems in the input are listed on stderr, each with its JSON
            pointer.
            """)

    @Option(help: "The input JSON file.")
    var input: String

    @Option(help: "Seed: the same seed and input give the same groups.")
    var seed: UInt64 = 1

    @Option(help: "Output: json or table.")
    var format = "json"

    func validate() throws {
        guard ["json", "table"].contains(format) else { throw ArgumentParser.ValidationError("--format must be json or table") }
    }

    func run() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: input))
        let parsed: GroupFormationInput
        do {
            parsed = try JSONDecoder().decode(GroupFormationInput.self, from: data)
        } catch let error as DecodingError {
            throw ILCCore.ValidationError(error)
        }
        let result: GroupFormationResult
        do {
            result = try GroupFormer(options: .init(seed: seed)).form(parsed)
        } catch GroupFormer.Failure.invalid(let problems) {
            for problem in problems { FileHandle.standardError.write(Data("invalid \(problem.field): \(problem.message)\n".utf8)) }
            throw ILCCore.ValidationError(field: "--input", message: "has \(problems.count) problem(s), listed above")
        }
        print(format == "json" ? try Self.json(result) : Self.table(result, input: parsed))
    }

    static func json(_ result: GroupFormationResult) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(result), as: UTF8.self)
    }

    static func table(_ result: GroupFormationResult, input: GroupFormationInput) -> String {
        let labels = Dictionary(input.themes.map { ($0.id, $0.label) }) { first, _ in first }
        let people = Dictionary(input.participants.map { ($0.id, $0) }) { first, _ in first }
        let rows = result.groups.map { group in
            let members = group.members.compactMap { people[$0] }
            return [
                group.id, labels[group.theme] ?? group.theme, String(group.members.count),
                String(Set(members.map(\.role)).count), String(Set(members.map(\.district)).count),
            ]
        }
        let metrics = result.metrics
        var lines = [TextTable.render(header: ["group", "theme", "size", "roles", "districts"], rows: rows)]
        lines.append(
            "objective \(metrics.objective), lower bound \(metrics.lowerBound)\(metrics.optimal ? " (optimal)" : ""); "
                + "first choice \(metrics.firstChoicePercent) %, top 3 \(metrics.top3Percent) %; "
                + "\(metrics.placed) placed, \(metrics.unplaced) unplaced")
        for folded in result.folded {
            lines.append("theme \(labels[folded.theme] ?? folded.theme): \(folded.firstChoices) first choice(s), too few for a group")
        }
        for unplaced in result.unplaced { lines.append("unplaced \(unplaced.id): \(unplaced.reason)") }
        let broken = metrics.violations.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        lines.append(broken.isEmpty ? "every rule kept" : "broken: " + broken.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}

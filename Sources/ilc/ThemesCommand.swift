import ArgumentParser
import Foundation
import ILCAnalysis
import ILCCore

/// `ilc themes`: theme detection on a file, offline, with the job's own code.
struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes",
        abstract: "Find the common themes of free-text answers in a CSV (with a header) or JSON Lines file.",
        discussion: """
            JSON output: {"themes":[{"id","label","keywords","size","quotes","cohesion"}],
            "assignments":[{"id","theme","score"}]}. Progress goes to stderr.
            """)

    @Option(help: "A .csv file with a header row, or a .jsonl file of objects.")
    var input: String

    @Option(help: "The column (CSV) or key (JSON Lines) holding the text.")
    var textColumn = "text"

    @Option(help: "The column or key holding each answer's id (default: its line number).")
    var idColumn = "id"

    @Option(help: "How many themes: auto (3…20, chosen by quality) or a number.")
    var k = "auto"

    @Option(help: "Seed of the clustering: the same seed and input give the same themes.")
    var seed: UInt64 = 1

    @Option(help: "Output: json or table.")
    var format = "json"

    func validate() throws {
        guard k == "auto" || (Int(k).map { (1...100).contains($0) } ?? false) else {
            throw ValidationError("--k must be auto or a number from 1 to 100")
        }
        guard ["json", "table"].contains(format) else { throw ValidationError("--format must be json or table") }
        let lowered = input.lowercased()
        guard lowered.hasSuffix(".csv") || lowered.hasSuffix(".jsonl") else {
            throw ValidationError("--input must be a .csv or .jsonl file")
        }
    }

    func run() throws {
        let inputs = try ThemeInputFile(path: input, textColumn: textColumn, idColumn: idColumn).read()
        var settings = ThemeDetector.Settings(seed: seed)
        if let fixed = Int(k) { settings.themeCount = fixed...fixed }
        let showProgress = inputs.count >= 5_000
        let result = ThemeDetector(settings: settings).detect(inputs) { stage, fraction in
            guard showProgress else { return }
            FileHandle.standardError.write(Data("\r\(stage.rawValue) \(Int(fraction * 100))%   ".utf8))
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        print(format == "json" ? try Self.json(result) : Self.table(result))
    }

    /// `{"assignments":[…],"themes":[…]}`, keys sorted. The themes go through
    /// `JSONEncoder`; the assignments, one per answer, are written directly: encoding
    /// 100,000 of them took a sixth of a whole run.
    static func json(_ result: ThemeDetectionResult) throws -> String {
        let themes = result.themes.map { theme in
            Theme(
                id: theme.id, label: theme.label, keywords: theme.keywords, size: theme.size,
                quotes: theme.quotes.map(\.text), cohesion: (theme.cohesion * 1_000).rounded() / 1_000)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var output = JSONOutput(capacity: result.assignments.count * 80)
        output.append(#"{"assignments":["#)
        for (index, assignment) in result.assignments.enumerated() {
            output.append(index == 0 ? #"{"id":"# : #",{"id":"#)
            output.appendString(assignment.id)
            output.append(#","score":"#)
            output.appendNumber((assignment.score * 1_000).rounded() / 1_000)
            output.append(#","theme":"#)
            // null, not left out, for an answer that fits no theme.
            if let theme = assignment.themeID { output.appendString(theme) } else { output.append("null") }
            output.append("}")
        }
        output.append(#"],"themes":"#)
        output.append(try encoder.encode(themes))
        output.append("}")
        return output.text
    }

    private struct Theme: Encodable {
        let id: String
        let label: String
        let keywords: [String]
        let size: Int
        let quotes: [String]
        let cohesion: Double
    }

    static func table(_ result: ThemeDetectionResult) -> String {
        let unassigned = result.assignments.filter { $0.themeID == nil }.count
        let rows = result.themes.map { theme in
            [theme.id, theme.label, String(theme.size), String(format: "%.2f", theme.cohesion),
             theme.keywords.prefix(5).joined(separator: ", ")]
        }
        return TextTable.render(header: ["theme", "label", "size", "cohesion", "keywords"], rows: rows)
            + "\n\(result.assignments.count) answers, \(unassigned) fit no theme"
    }
}

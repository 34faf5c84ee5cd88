import Foundation
import Testing

/// `ilc themes` on files, as an analyst would run it.
@Suite struct ThemesCLITests {
    static let phrases = [
        ["attendance keeps falling", "chronic absenteeism in middle school", "absent students miss instruction"],
        ["reading and literacy scores are flat", "phonics and reading fluency", "literacy across subjects"],
        ["math scores dropped", "algebra readiness in math", "math problem solving"],
    ]

    static func answer(_ index: Int) -> String {
        let group = phrases[index % 3]
        return "At our school \(group[index % 3]), and \(group[(index / 3) % 3])"
    }

    private func file(_ name: String, _ contents: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ilc-themes-\(UUID().uuidString)-\(name)")
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func findsThemesInACSVFileAsJSON() async throws {
        var csv = "respondent,answer\n"
        for index in 0..<60 { csv += "r\(index),\"\(Self.answer(index))\"\n" }
        let path = try file("answers.csv", csv)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try await CLIProcess.run([
            "themes", "--input", path, "--text-column", "answer", "--id-column", "respondent", "--seed", "3",
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let output = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let themes = try #require(output["themes"] as? [[String: Any]])
        #expect(Set(themes.compactMap { $0["label"] as? String }) == ["Attendance and chronic absenteeism", "Literacy", "Mathematics"])
        let assignments = try #require(output["assignments"] as? [[String: Any]])
        #expect(assignments.count == 60)
        #expect(assignments.first?["id"] as? String == "r0")
        #expect(themes.allSatisfy { ($0["quotes"] as? [String])?.count == 3 })

        // Same input, same seed: the same output.
        let again = try await CLIProcess.run([
            "themes", "--input", path, "--text-column", "answer", "--id-column", "respondent", "--seed", "3",
        ])
        #expect(again.standardOutput == outcome.standardOutput)
    }

    /// Ids are the caller's own text: quotes, backslashes, control characters and
    /// non-ASCII letters come back exactly.
    @Test func idsComeBackExactlyInTheJSON() async throws {
        let ids = (0..<30).map { index in ["q\"uote\(index)", "back\\slash\(index)", "tab\t\(index)", "é-\(index)", "line\u{1}\(index)"][index % 5] }
        let lines = try ids.enumerated().map { index, id in
            let object: [String: String] = ["id": id, "text": Self.answer(index)]
            return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        let path = try file("answers.jsonl", lines.joined(separator: "\n"))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try await CLIProcess.run(["themes", "--input", path, "--seed", "3"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let output = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let assignments = try #require(output["assignments"] as? [[String: Any]])
        #expect(assignments.compactMap { $0["id"] as? String } == ids)
        #expect(assignments.allSatisfy { $0["score"] is NSNumber && $0.keys.contains("theme") })
    }

    @Test func readsJSONLinesAndPrintsATable() async throws {
        let lines = (0..<60).map { #"{"id": \#($0), "text": "\#(Self.answer($0))"}"# }.joined(separator: "\n")
        let path = try file("answers.jsonl", lines)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try await CLIProcess.run(["themes", "--input", path, "--k", "3", "--format", "table"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("Literacy"))
        #expect(outcome.standardOutput.contains("60 answers"))
    }

    @Test func explainsBadInput() async throws {
        let path = try file("answers.csv", "id,body\n1,hello\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let missing = try await CLIProcess.run(["themes", "--input", path])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("no column 'text'"))
        let wrongK = try await CLIProcess.run(["themes", "--input", path, "--k", "many"])
        #expect(wrongK.status == 64)
    }
}

import Foundation
import ILCAnalysis

/// The reference for group formation's quality: `ops/exact_groups.py` (the whole
/// problem as a MILP, solved by HiGHS) run on one input.
struct ExactGroupSolver {
    struct Answer: Decodable {
        var status: String
        var objective: Int
        var unplaced: Int
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let python: String
    let script: String

    func solve(_ input: GroupFormationInput) throws -> Answer {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ilc-groups-\(UUID().uuidString).json")
        try JSONEncoder().encode(input).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, file.path]
        let output = Pipe()
        process.standardOutput = output
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        finished.wait()
        guard process.terminationStatus == 0, let answer = try? JSONDecoder().decode(Answer.self, from: data),
              answer.status == "optimal" else {
            throw Failure(description: "the exact solver (\(python) \(script)) failed: \(String(decoding: data, as: UTF8.self))")
        }
        return answer
    }
}

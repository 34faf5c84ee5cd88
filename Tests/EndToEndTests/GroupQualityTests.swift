import Foundation
import ILCAnalysis
import Testing

/// `ilc groups` against the exact optimum: the whole problem as a MILP solved by HiGHS
/// (ops/exact_groups.py, in the Python that ops/test sets up with scipy), on generated
/// instances of 30–80 participants whose `max_groups` binds.
@Suite struct GroupQualityTests {
    struct Exact: Decodable {
        var status: String
        var objective: Int
        var unplaced: Int
    }

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ops/exact_groups.py")

    @Test func groupsAreAtOrNearTheExactOptimum() async throws {
        let python = try #require(
            ProcessInfo.processInfo.environment["ILC_SOLVER_PYTHON"], "set ILC_SOLVER_PYTHON to a Python with scipy (ops/test does)")
        let instances = 8
        var excess = 0.0
        var atOptimum = 0
        for number in 0..<instances {
            let (input, binding) = try GroupInstanceGenerator.qualityInstance(number, seed: 11)
            #expect(binding)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("groups-\(UUID().uuidString).json")
            try JSONEncoder().encode(input).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }

            let ours = try await CLIProcess.run(["groups", "--input", file.path, "--seed", "11"])
            #expect(ours.status == 0, "\(ours.standardError)")
            let result = try JSONDecoder().decode(GroupFormationResult.self, from: Data(ours.standardOutput.utf8))
            let solved = try await CLIProcess.run([Self.script.path, file.path], executableURL: URL(fileURLWithPath: python))
            #expect(solved.status == 0, "\(solved.standardError)")
            let exact = try JSONDecoder().decode(Exact.self, from: Data(solved.standardOutput.utf8))

            #expect(exact.status == "optimal")
            #expect(GroupRules.violations(of: result, for: input).values.allSatisfy { $0 == 0 })
            #expect(result.metrics.unplaced == exact.unplaced)
            // The bound is a true lower bound, and nothing beats the exact optimum.
            #expect(result.metrics.lowerBound <= exact.objective)
            #expect(result.metrics.objective >= exact.objective)
            excess += Double(result.metrics.objective - exact.objective) / Double(input.participants.count)
            if result.metrics.objective == exact.objective { atOptimum += 1 }
        }
        #expect(excess / Double(instances) <= 0.02)
        #expect(atOptimum * 2 > instances, "at the optimum on \(atOptimum) of \(instances)")
    }
}

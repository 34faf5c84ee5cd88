import ArgumentParser
import Foundation
import ILCAnalysis
import ILCCore

/// Group formation's figures: speed and memory on one large generated instance, and
/// quality against the exact optimum (a MILP solved by HiGHS through
/// `ops/exact_groups.py`) on generated small instances with a binding `max_groups`.
struct BenchGroups: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groups",
        abstract: "Time group formation on a large generated instance and compare small ones with the exact optimum.")

    @Option(help: "Participants of the speed run.")
    var participants = 100_000

    @Option(help: "Themes of the speed run.")
    var themes = 15

    @Option(help: "Districts of the speed run.")
    var districts = 500

    @Option(help: "max_groups of the speed run (default: no limit).")
    var maxGroups: Int?

    @Option(help: "max_utc_spread_hours of the speed run (default: no limit).")
    var maxUTCSpreadHours: Double?

    @Option(help: "Small instances (30–80 participants) compared with the exact optimum; 0 skips the comparison.")
    var qualityInstances = 40

    @Option(help: "A Python with scipy, for the exact solver (ops/group-benchmark sets one up).")
    var exactPython = "python3"

    @Option(help: "The exact solver script.")
    var exactScript = "ops/exact_groups.py"

    @Option(help: "Seed of the generated instances and of group formation.")
    var seed: UInt64 = 1

    func validate() throws {
        guard participants > 0, themes > 0, districts > 0, qualityInstances >= 0 else {
            throw ValidationError("--participants, --themes and --districts must be positive")
        }
    }

    func run() throws {
        var rows: [[String]] = []
        if participants > 0 {
            rows += try speed()
        }
        if qualityInstances > 0 {
            rows += try quality()
        }
        print(TextTable.render(header: ["measure", "value", "target"], rows: rows))
    }

    private func speed() throws -> [[String]] {
        let settings = GroupSettings(maxGroups: maxGroups, maxUTCSpreadHours: maxUTCSpreadHours)
        let input = GroupInstanceGenerator(
            participants: participants, themes: themes, districts: districts, settings: settings, seed: seed
        ).make()
        let start = ContinuousClock.now
        let result = try GroupFormer(options: .init(seed: seed)).form(input)
        let elapsed = ContinuousClock.now - start
        let broken = result.metrics.violations.values.reduce(0, +)
        let metrics = result.metrics
        return [
            ["instance", "\(participants) participants, \(themes) themes, \(districts) districts"
                + (maxGroups.map { ", max_groups \($0)" } ?? "") + (maxUTCSpreadHours.map { ", max_utc_spread_hours \($0)" } ?? ""), ""],
            ["time", String(format: "%.2f s", elapsed.timeInterval), "≤ 10 s (release, one core)"],
            ["peak memory (process)", String(format: "%.0f MiB", Self.peakResidentMiB()), "≤ 1024 MiB"],
            ["groups", "\(result.groups.count), \(metrics.unplaced) unplaced", ""],
            ["objective / lower bound", "\(metrics.objective) / \(metrics.lowerBound)\(metrics.optimal ? " (optimal)" : "")", ""],
            ["first choice / top 3", "\(metrics.firstChoicePercent) % / \(metrics.top3Percent) %", ""],
            ["min distinct roles / districts", "\(metrics.minDistinctRoles) / \(metrics.minDistinctDistricts)", ""],
            ["rule violations", "\(broken)", "0"],
        ]
    }

    private func quality() throws -> [[String]] {
        var excesses: [Double] = []
        var zero = 0
        var provenOptimal = 0
        var binding = 0
        var broken = 0
        var solveTime = Duration.zero
        for instance in 0..<qualityInstances {
            let (input, isBinding) = try GroupInstanceGenerator.qualityInstance(instance, seed: seed)
            if isBinding { binding += 1 }
            let start = ContinuousClock.now
            let result = try GroupFormer(options: .init(seed: seed)).form(input)
            solveTime += ContinuousClock.now - start
            broken += result.metrics.violations.values.reduce(0, +)
            if result.metrics.optimal { provenOptimal += 1 }
            let exact = try ExactGroupSolver(python: exactPython, script: exactScript).solve(input)
            guard exact.unplaced == result.metrics.unplaced else {
                throw ValidationError("instance \(instance): \(result.metrics.unplaced) unplaced, the exact optimum \(exact.unplaced)")
            }
            let excess = Double(result.metrics.objective - exact.objective) / Double(input.participants.count)
            excesses.append(excess)
            if result.metrics.objective == exact.objective { zero += 1 }
        }
        let mean = excesses.reduce(0, +) / Double(max(1, excesses.count))
        return [
            ["quality instances", "\(qualityInstances) of 30–80 participants, max_groups binding in \(binding)", ""],
            ["excess over optimum per participant", String(format: "mean %.4f, max %.4f", mean, excesses.max() ?? 0), "mean ≤ 0.02"],
            ["instances at the optimum", "\(zero) of \(qualityInstances)", "most"],
            ["proven optimal by own bound", "\(provenOptimal) of \(qualityInstances)", ""],
            ["rule violations", "\(broken)", "0"],
            ["mean time per small instance", String(format: "%.1f ms", solveTime.timeInterval * 1_000 / Double(qualityInstances)), ""],
        ]
    }

    static func peakResidentMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1_024
    }
}

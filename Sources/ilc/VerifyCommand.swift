import ArgumentParser
import Foundation
import ILCCore
import ILCRedis
import ILCStore
import Logging

/// `ilc verify`: breaks things on purpose against real processes — workers and servers
/// killed, paused, wiped — and abuses the API, then prints one table of scenario,
/// result and figures. Exits 1 when any promise was broken. `ops/verify` runs it
/// against servers of its own, which it may crash.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Inject faults and abuse into real ilc-api and ilc-worker processes; print scenario, result, figures.",
        discussion: """
            Crashes and restarts the PostgreSQL and Redis that --services controls: run it through
            ops/verify, which starts servers of its own for this.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The ops/services script that controls the servers under test.")
    var services: String

    @Option(help: "schemathesis, for the fuzzing scenario.")
    var schemathesis: String?

    @Flag(help: "The fast part, as CI runs it: shorter fuzzing and load.")
    var quick = false

    @Option(help: "Run only scenarios whose name contains this (repeatable).")
    var only: [String] = []

    @Option(name: .customLong("break"), help: "Break an invariant on purpose to see the verifier fail: reaper (no lease recovery).")
    var broken: String?

    @Option(help: "Where process logs go (default: a new temporary directory).")
    var logDirectory: String?

    func validate() throws {
        if let broken, broken != "reaper" { throw ValidationError("--break knows only: reaper") }
        guard FileManager.default.isExecutableFile(atPath: services) else {
            throw ValidationError("--services: \(services) is not an executable")
        }
    }

    func run() async throws {
        let scenarios = (VerifyFaults.scenarios + VerifyAnalysisFaults.scenarios + VerifyWebhookFaults.scenarios
            + VerifyAbuse.scenarios + VerifyFuzz.scenarios + VerifyLoad.scenarios).filter { scenario in
            only.isEmpty || only.contains { scenario.name.localizedCaseInsensitiveContains($0) }
        }
        guard !scenarios.isEmpty else { throw ValidationError("--only matches no scenario") }
        let directory = logDirectory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("ilc-verify-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let signalSources = VerifyCleanup.installSignalHandlers()
        defer { withExtendedLifetime(signalSources) {} }
        let settings = VerifySettings(quick: quick, schemathesis: schemathesis)
        var logger = connection.logger
        logger.logLevel = .error
        let redis = RedisClient(configuration: try connection.redisConfiguration(), logger: logger)
        let rows = try await connection.withDatabase { [services, broken] database in
            let removed = try await VerifyTenant.removeEarlierRuns(database)
            if removed > 0 { Self.say("removed \(removed) tenants of earlier runs") }
            let lab = try await VerifyLab.start(
                database: database, redis: redis, servicesScript: services, logDirectory: directory,
                breakReaper: broken == "reaper")
            var rows: [[String]] = []
            for scenario in scenarios {
                Self.say("\(scenario.kind): \(scenario.name) …")
                let started = ContinuousClock.now
                do {
                    let figures = try await scenario.run(lab, settings)
                    rows.append([scenario.name, scenario.kind, "pass", figures])
                } catch {
                    let message = String(describing: error)
                    Self.say("  FAILED: \(message)")
                    rows.append([scenario.name, scenario.kind, "FAIL", message.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""])
                }
                Self.say("  \(rows.last?[2] ?? "") in \(Int(started.duration(to: .now).timeInterval.rounded())) s")
            }
            await lab.stop()
            return rows
        }
        await redis.close()
        print(TextTable.render(header: ["Scenario", "Kind", "Result", "Figures"], rows: rows))
        let failed = rows.filter { $0[2] != "pass" }.count
        print(failed == 0 ? "\nall \(rows.count) scenarios passed" : "\n\(failed) of \(rows.count) scenarios FAILED (logs: \(directory))")
        if failed > 0 { throw ExitCode(1) }
    }

    private static func say(_ line: String) {
        FileHandle.standardError.write(Data("verify: \(line)\n".utf8))
    }
}

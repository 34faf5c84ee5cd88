import ArgumentParser
import Foundation
import Logging

/// Entry point: parses, runs, and turns any failure into one clear line on stderr
/// and a non-zero exit code (64 for bad arguments, 1 for everything else).
@main
enum ILCMain {
    static func main() async {
        let verbose = CommandLine.arguments.contains("--verbose")
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .info : .warning
            return handler
        }
        do {
            var command = try ILC.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let exitCode = ILC.exitCode(for: error)
            if exitCode == .success {
                print(ILC.fullMessage(for: error))
                exit(0)
            }
            let message = ErrorDescription.line(for: error) ?? ILC.message(for: error)
            let oneLine = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? "failed"
            FileHandle.standardError.write(Data("ilc: \(oneLine)\n".utf8))
            exit(exitCode.rawValue)
        }
    }
}

struct ILC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ilc",
        abstract: "Operate the ILC backend: migrations, tenants, API keys, offline analyses, benchmarks, fault injection.",
        subcommands: [
            Migrate.self, Status.self, TenantCommand.self, KeyCommand.self, ThemesCommand.self, GroupsCommand.self, ReportCommand.self,
            DemoCommand.self,
            Bench.self, VerifyCommand.self,
        ]
    )
}

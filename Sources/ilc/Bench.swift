import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the system with real processes (use a release build).",
        subcommands: [BenchQueue.self, BenchAPI.self, BenchGroups.self, BenchSharing.self, BenchReports.self])
}

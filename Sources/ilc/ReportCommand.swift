import ArgumentParser
import Foundation
import ILCReports

/// `ilc report sample`: a sample report of any kind and format, without a database,
/// for looking at the layout (`ops/report-preview` screenshots it).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports without a database.", subcommands: [Sample.self])

    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a sample report (generated data, small groups suppressed) to stdout or a file.")

        @Option(help: "collective_progress, cycle_summary, tenant_overview or network_summary.")
        var kind: String = ReportKind.collectiveProgress.rawValue

        @Option(help: "html, csv or json.")
        var format: String = ReportFormat.html.rawValue

        @Option(help: "Pieces of evidence in a collective_progress report.")
        var evidence = 40

        @Option(name: .shortAndLong, help: "Write here instead of stdout.")
        var output: String?

        func validate() throws {
            guard ReportKind(rawValue: kind) != nil else {
                throw ValidationError("--kind must be one of \(ReportKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard ReportFormat(rawValue: format) != nil else { throw ValidationError("--format must be html, csv or json") }
            guard evidence >= 0 else { throw ValidationError("--evidence must not be negative") }
        }

        func run() throws {
            let document = Self.document(ReportKind(rawValue: kind) ?? .collectiveProgress, evidence: evidence)
            let content = try ReportRenderer().render(document, as: ReportFormat(rawValue: format) ?? .html)
            if let output {
                try content.write(to: URL(fileURLWithPath: output))
            } else {
                FileHandle.standardOutput.write(content)
            }
        }

        static func document(_ kind: ReportKind, evidence: Int) -> ReportDocument {
            let now = Date().formatted(.iso8601)
            return switch kind {
            case .collectiveProgress: SampleReports.collective(evidence: evidence).document(generatedAt: now, suppressionThreshold: 10)
            case .cycleSummary: SampleReports.cycle().document(generatedAt: now, suppressionThreshold: 10)
            case .tenantOverview: SampleReports.tenant().document(generatedAt: now, suppressionThreshold: 10)
            case .networkSummary: SampleReports.network().document(generatedAt: now)
            }
        }
    }
}

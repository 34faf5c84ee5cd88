import ArgumentParser
import Foundation
import ILCCore
import ILCStore

/// `ilc demo run`: three demo agencies go through a whole ILC cycle through the public
/// API, exactly as an integration partner would drive it. Only what a partner cannot do
/// itself — creating the agencies and their API keys — goes through the operator's
/// database connection; a second run reuses the agencies and starts a new cycle.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Demo agencies through a whole cycle, over the partner API.", subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drive three demo agencies through intake, themes, collectives, evidence, sharing and reports.")

        @OptionGroup var connection: ConnectionOptions

        @Option(help: "Base URL of a running ilc-api.")
        var api = "http://127.0.0.1:8080"

        @Option(help: "Educators per agency.")
        var participants = 1_500

        @Option(help: "Seed of the synthetic educators and answers.")
        var seed: UInt64 = 2026

        @Option(help: "Directory for the reports the demo downloads.")
        var output = ".ilc/demo"

        @Flag(help: "End with one JSON object (the summary) on the last line of stdout.")
        var json = false

        func validate() throws {
            guard participants >= 20 else { throw ValidationError("--participants must be at least 20") }
            guard URL(string: api) != nil else { throw ValidationError("--api must be a URL") }
        }

        func run() async throws {
            let keys = try await connection.withDatabase { database in try await Self.agencyKeys(database) }
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            var summaries: [DemoSummary] = []
            for (index, (agency, key)) in keys.enumerated() {
                print("\(agency.name) (\(agency.slug))")
                let client = DemoClient(base: URL(string: api) ?? URL(fileURLWithPath: "/"), key: key)
                let cycle = DemoCycle(
                    agency: agency, client: client, participants: participants, seed: seed &+ UInt64(index),
                    output: URL(fileURLWithPath: output))
                summaries.append(try await cycle.run())
            }
            print(DemoSummary.table(summaries))
            for summary in summaries { for path in summary.reports { print("report: \(path)") } }
            if json { print(DemoSummary.json(summaries)) }
        }

        /// The demo agencies (made on first use, their sharing set) and a fresh key each.
        static func agencyKeys(_ database: Database) async throws -> [(DemoPopulation.Agency, String)] {
            let tenants = TenantStore(database: database)
            var keys: [(DemoPopulation.Agency, String)] = []
            for agency in DemoPopulation.agencies {
                let slug = try TenantSlug(agency.slug)
                let tenant: Tenant
                do {
                    tenant = try await tenants.find(slug: slug)
                } catch StoreError.notFound {
                    tenant = try await tenants.create(slug: slug, name: agency.name, kind: agency.kind)
                }
                var changes = TenantChanges()
                changes.publicName = agency.publicName
                changes.sharing = agency.sharesWithNetwork ? .network : .withinTenant
                changes.rateLimit = .perSecond(0)
                _ = try await tenants.update(id: tenant.id, changes)
                let key = try await APIKeyStore(database: database).createTenantKey(
                    tenantID: tenant.id, name: "demo \(Date().formatted(.iso8601))", scopes: Set(APIScope.allCases))
                keys.append((agency, key.token))
            }
            return keys
        }
    }
}

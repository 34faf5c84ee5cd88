import ArgumentParser
import Foundation
import ILCCore
import ILCStore

struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Create, list and delete tenants (education agencies).",
        subcommands: [Create.self, List.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a tenant; prints its id on the last line of stdout.")

        @OptionGroup var connection: ConnectionOptions

        @Option(help: "Short unique name: lowercase letters, digits, inner hyphens (e.g. alabama).")
        var slug: String

        @Option(help: "Display name (e.g. \"Alabama State Department of Education\").")
        var name: String

        @Option(help: "One of: \(TenantKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        var kind: String

        func validate() throws {
            _ = try parsedSlug()
            _ = try parsedKind()
        }

        func run() async throws {
            let slug = try parsedSlug()
            let kind = try parsedKind()
            let name = self.name
            let tenant = try await connection.withDatabase { database in
                try await TenantStore(database: database).create(slug: slug, name: name, kind: kind)
            }
            FileHandle.standardError.write(Data("created tenant \(tenant.slug) (\(tenant.kind.rawValue)): \(tenant.name)\n".utf8))
            print(tenant.id.uuidString.lowercased())
        }

        private func parsedSlug() throws -> TenantSlug {
            do {
                return try TenantSlug(slug)
            } catch {
                throw ArgumentParser.ValidationError("--slug: \(error.message)")
            }
        }

        private func parsedKind() throws -> TenantKind {
            guard let kind = TenantKind(rawValue: kind) else {
                let known = TenantKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ArgumentParser.ValidationError("--kind must be one of \(known) (got '\(kind)')")
            }
            return kind
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List all tenants.")

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let tenants = try await connection.withDatabase { database in
                try await TenantStore(database: database).list()
            }
            let rows = tenants.map { tenant in
                [tenant.id.uuidString.lowercased(), tenant.slug.rawValue, tenant.kind.rawValue, tenant.sharing.rawValue, tenant.name]
            }
            print(TextTable.render(header: ["id", "slug", "kind", "sharing", "name"], rows: rows))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a tenant and all its data (keys, cycles, participants, reports, webhooks, jobs).",
            discussion: """
                Irreversible: take a backup first if the data may be needed. Matching jobs of \
                a network sharing run that waited only for this tenant reach Redis through the \
                workers' sweeper, which pushes every queued job Redis does not know.
                """)

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "The tenant's slug.")
        var slug: String

        @Option(help: "The slug again, to confirm.")
        var confirm: String

        func validate() throws {
            guard confirm == slug else { throw ArgumentParser.ValidationError("--confirm must repeat the slug '\(slug)'") }
        }

        func run() async throws {
            let slug = try TenantSlug(self.slug)
            try await connection.withDatabase { database in
                let store = TenantStore(database: database)
                let tenant = try await store.find(slug: slug)
                guard try await store.delete(id: tenant.id, slug: slug.rawValue) != nil else {
                    throw StoreError.notFound("no tenant with slug '\(slug)'")
                }
            }
            FileHandle.standardError.write(Data("deleted tenant \(slug) and all its data\n".utf8))
        }
    }
}

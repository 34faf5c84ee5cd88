import ArgumentParser
import Foundation
import ILCCore
import ILCStore

struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Create and list tenants (education agencies).",
        subcommands: [Create.self, List.self])

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
}

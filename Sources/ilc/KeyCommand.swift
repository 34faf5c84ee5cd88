import ArgumentParser
import Foundation
import ILCCore
import ILCStore

struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Create, list and revoke API keys.",
        subcommands: [Create.self, List.self, Revoke.self])

    /// Either `--tenant SLUG` or `--operator`, never both.
    struct Owner: ParsableArguments {
        @Option(help: "The tenant's slug.")
        var tenant: String?

        @Flag(name: .customLong("operator"), help: "An operator key (manages tenants; belongs to no tenant).")
        var isOperator = false

        func validate() throws {
            if isOperator == (tenant != nil) {
                throw ArgumentParser.ValidationError("give exactly one of --tenant SLUG or --operator")
            }
            if let tenant {
                do {
                    _ = try TenantSlug(tenant)
                } catch {
                    throw ArgumentParser.ValidationError("--tenant: \(error.message)")
                }
            }
        }

        func tenantSlug() throws -> TenantSlug? {
            try tenant.map { try TenantSlug($0) }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key; prints the key, once, on the last line of stdout.",
            discussion: "Only the key's SHA-256 is stored: keep the printed key, it cannot be shown again.")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var owner: Owner

        @Option(help: "Comma-separated scopes: \(APIScope.allCases.map(\.rawValue).joined(separator: ", ")). Tenant keys only.")
        var scopes: String?

        @Option(help: "A name to recognise the key by.")
        var name = "cli"

        @Option(help: "Expiry: a date (2027-06-30), a time (2027-06-30T12:00:00Z) or a duration (90d, 12h).")
        var expires: String?

        func validate() throws {
            if owner.isOperator {
                if scopes != nil {
                    throw ArgumentParser.ValidationError("--scopes applies to tenant keys; operator keys always have admin scope")
                }
            } else {
                guard let scopes else {
                    throw ArgumentParser.ValidationError("--scopes is required for a tenant key")
                }
                do {
                    _ = try APIScope.parseList(scopes)
                } catch {
                    throw ArgumentParser.ValidationError("--scopes: \(error.message)")
                }
            }
            if let expires {
                _ = try ExpiryParser.parse(expires)
            }
        }

        func run() async throws {
            let expiresAt = try expires.map { try ExpiryParser.parse($0) }
            let name = self.name
            let tenantSlug = try owner.tenantSlug()
            let scopes = try scopes.map { try APIScope.parseList($0) } ?? [.admin]
            let issued = try await connection.withDatabase { database in
                let keys = APIKeyStore(database: database)
                guard let tenantSlug else {
                    return try await keys.createOperatorKey(name: name, expiresAt: expiresAt)
                }
                let tenant = try await TenantStore(database: database).find(slug: tenantSlug)
                return try await keys.createTenantKey(tenantID: tenant.id, name: name, scopes: scopes, expiresAt: expiresAt)
            }
            let whose = tenantSlug.map { "tenant \($0)" } ?? "operator"
            let scopeList = issued.key.scopes.sorted().map(\.rawValue).joined(separator: ",")
            let expiry = issued.key.expiresAt.map { ISO8601DateFormatter().string(from: $0) } ?? "never"
            FileHandle.standardError.write(Data(
                "created key \(issued.key.id.uuidString.lowercased()) for \(whose), scopes \(scopeList), expires \(expiry)\nthe key is shown once; only its SHA-256 is stored\n".utf8))
            print(issued.token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a tenant's keys (never their secrets).")

        @OptionGroup var connection: ConnectionOptions

        @Option(help: "The tenant's slug.")
        var tenant: String

        func run() async throws {
            let slug = try TenantSlug(tenant)
            let keys = try await connection.withDatabase { database in
                let tenant = try await TenantStore(database: database).find(slug: slug)
                return try await APIKeyStore(database: database).list(tenantID: tenant.id)
            }
            let formatter = ISO8601DateFormatter()
            let rows = keys.map { key in
                [
                    key.id.uuidString.lowercased(), key.scopes.sorted().map(\.rawValue).joined(separator: ","),
                    key.revokedAt != nil ? "revoked" : (key.expiresAt.map { $0 <= Date() ? "expired" : "active" } ?? "active"),
                    key.lastUsedAt.map(formatter.string(from:)) ?? "-", key.name,
                ]
            }
            print(TextTable.render(header: ["id", "scopes", "state", "last used", "name"], rows: rows))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key; it fails verification from now on.")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var owner: Owner

        @Argument(help: "The key's id (from key create or key list).")
        var keyID: String

        func validate() throws {
            guard UUID(uuidString: keyID) != nil else {
                throw ArgumentParser.ValidationError("key id must be a UUID (got '\(keyID)')")
            }
        }

        func run() async throws {
            guard let keyID = UUID(uuidString: keyID) else { throw ExitCode.validationFailure }
            let tenantSlug = try owner.tenantSlug()
            try await connection.withDatabase { database in
                let keys = APIKeyStore(database: database)
                if let tenantSlug {
                    let tenant = try await TenantStore(database: database).find(slug: tenantSlug)
                    try await keys.revokeTenantKey(tenantID: tenant.id, keyID: keyID)
                } else {
                    try await keys.revokeOperatorKey(keyID: keyID)
                }
            }
            print("revoked \(keyID.uuidString.lowercased())")
        }
    }
}

/// Reads `--expires`: an ISO 8601 date or time, or a duration from now in days or hours.
enum ExpiryParser {
    static func parse(_ text: String) throws -> Date {
        if let last = text.last, last == "d" || last == "h", let amount = Int(text.dropLast()), amount > 0 {
            return Date().addingTimeInterval(Double(amount) * (last == "d" ? 86_400 : 3_600))
        }
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) {
            return date
        }
        let dateOnly = ISO8601DateFormatter()
        dateOnly.formatOptions = [.withFullDate]
        if let date = dateOnly.date(from: text) {
            return date
        }
        throw ArgumentParser.ValidationError("--expires must be a date (2027-06-30), a time (2027-06-30T12:00:00Z) or a duration (90d, 12h); got '\(text)'")
    }
}

import Foundation
import Testing

/// Drives the real `ilc` process against the real PostgreSQL and Redis.
@Suite struct OperatorCLITests {
    private func uniqueSlug() -> String {
        "cli-\(UUID().uuidString.prefix(12).lowercased())"
    }

    @Test func migrateIsIdempotentAndStatusIsHealthy() async throws {
        let first = try await CLIProcess.run(["migrate"])
        #expect(first.status == 0, "\(first.standardError)")
        let second = try await CLIProcess.run(["migrate"])
        #expect(second.status == 0, "\(second.standardError)")
        #expect(second.standardOutput.contains("database is current"))

        let status = try await CLIProcess.run(["status"])
        #expect(status.status == 0, "\(status.standardError)")
        #expect(status.standardOutput.contains("postgresql: ok"))
        #expect(status.standardOutput.contains("redis: ok"))
    }

    @Test func tenantAndKeyLifecycle() async throws {
        _ = try await CLIProcess.run(["migrate"])
        let slug = uniqueSlug()
        let created = try await CLIProcess.run(["tenant", "create", "--slug", slug, "--name", "Alberta Education", "--kind", "province"])
        #expect(created.status == 0, "\(created.standardError)")
        let tenantID = try #require(UUID(uuidString: created.lastLine), "last line: \(created.lastLine)")

        let listed = try await CLIProcess.run(["tenant", "list"])
        #expect(listed.standardOutput.contains(tenantID.uuidString.lowercased()))
        #expect(listed.standardOutput.contains(slug))

        let key = try await CLIProcess.run(["key", "create", "--tenant", slug, "--scopes", "read,jobs:write", "--expires", "30d"])
        #expect(key.status == 0, "\(key.standardError)")
        #expect(key.lastLine.hasPrefix("ilc_"))
        #expect(!key.standardOutput.contains("ilc_") || key.standardOutput.split(separator: "\n").count == 1)

        let keys = try await CLIProcess.run(["key", "list", "--tenant", slug])
        #expect(keys.status == 0)
        #expect(keys.standardOutput.contains("jobs:write,read"))
        #expect(keys.standardOutput.contains("active"))
        #expect(!keys.standardOutput.contains(key.lastLine), "a listing must never show the key")

        let keyID = try #require(
            keys.standardOutput.split(separator: "\n").dropFirst().first?.split(separator: " ").first.map(String.init))
        let revoked = try await CLIProcess.run(["key", "revoke", "--tenant", slug, keyID])
        #expect(revoked.status == 0, "\(revoked.standardError)")
        #expect(try await CLIProcess.run(["key", "list", "--tenant", slug]).standardOutput.contains("revoked"))

        let operatorKey = try await CLIProcess.run(["key", "create", "--operator", "--name", "on-call"])
        #expect(operatorKey.status == 0, "\(operatorKey.standardError)")
        #expect(operatorKey.lastLine.hasPrefix("ilcop_"))

        // Deleting takes the slug twice; a mismatch is a usage error and deletes nothing.
        let mistyped = try await CLIProcess.run(["tenant", "delete", slug, "--confirm", "\(slug)x"])
        #expect(mistyped.status == 64)
        #expect(try await CLIProcess.run(["tenant", "list"]).standardOutput.contains(slug))
        let deleted = try await CLIProcess.run(["tenant", "delete", slug, "--confirm", slug])
        #expect(deleted.status == 0, "\(deleted.standardError)")
        #expect(!(try await CLIProcess.run(["tenant", "list"]).standardOutput.contains(slug)))
        #expect(try await CLIProcess.run(["key", "list", "--tenant", slug]).status == 1)
        #expect(try await CLIProcess.run(["tenant", "delete", slug, "--confirm", slug]).status == 1)
    }

    @Test(arguments: [
        (["tenant", "create", "--slug", "Not OK", "--name", "x", "--kind", "state"], "--slug"),
        (["tenant", "create", "--slug", "fine", "--name", "x", "--kind", "country"], "--kind"),
        (["tenant", "create", "--slug", "fine", "--kind", "state"], "--name"),
        (["key", "create", "--tenant", "fine"], "--scopes"),
        (["key", "create", "--tenant", "fine", "--scopes", "read,delete-everything"], "delete-everything"),
        (["key", "create", "--tenant", "fine", "--operator"], "--operator"),
        (["key", "create", "--tenant", "fine", "--scopes", "read", "--expires", "soon"], "--expires"),
        (["key", "revoke", "--tenant", "fine", "not-a-uuid"], "UUID"),
        (["frobnicate"], "frobnicate"),
    ])
    func badArgumentsGiveOneClearLineAndExitNonZero(_ arguments: [String], _ mentioned: String) async throws {
        let outcome = try await CLIProcess.run(arguments)
        #expect(outcome.status == 64, "\(arguments): \(outcome.status)")
        let lines = outcome.standardError.split(whereSeparator: \.isNewline)
        #expect(lines.count == 1, "\(arguments): \(outcome.standardError)")
        #expect(outcome.standardError.contains(mentioned), "\(arguments): \(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
    }

    @Test func failuresAtRunTimeAreOneLineToo() async throws {
        let slug = uniqueSlug()
        #expect(try await CLIProcess.run(["tenant", "create", "--slug", slug, "--name", "First", "--kind", "region"]).status == 0)
        let duplicate = try await CLIProcess.run(["tenant", "create", "--slug", slug, "--name", "Second", "--kind", "region"])
        #expect(duplicate.status == 1)
        #expect(duplicate.standardError == "ilc: a tenant with slug '\(slug)' already exists\n")

        let unknown = try await CLIProcess.run(["key", "create", "--tenant", uniqueSlug(), "--scopes", "read"])
        #expect(unknown.status == 1)
        #expect(unknown.standardError.contains("no tenant with slug"))
    }

    @Test func missingConfigurationNamesTheVariable() async throws {
        let outcome = try await CLIProcess.run(["tenant", "list"], environment: ["ILC_DATABASE_URL": nil])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("ILC_DATABASE_URL"))

        let unreachable = try await CLIProcess.run(
            ["tenant", "list"], environment: ["ILC_DATABASE_URL": "postgres://nobody:x@127.0.0.1:1/ilc?sslmode=disable"])
        #expect(unreachable.status == 1)
        #expect(unreachable.standardError.contains("cannot reach PostgreSQL"), "\(unreachable.standardError)")
    }
}

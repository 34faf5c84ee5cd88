import ILCTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import ILCStore

/// The isolation audit. Tenant tables are found from the catalog (every table with
/// a `tenant_id` column), so a table added by a later migration is audited without
/// anyone remembering to list it.
@Suite struct TenantIsolationTests {
    @Test func everyTenantTableLeadsItsKeysWithTenantAndForcesRowLevelSecurity() async throws {
        try await TestDatabase.withApp { database in
            let tables = try await tenantTables(database)
            #expect(tables.count >= 18)
            let rows = try await database.client.query(
                """
                SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                       (SELECT a.attname FROM pg_index i JOIN pg_attribute a
                            ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                        WHERE i.indrelid = c.oid AND i.indisprimary) AS first_key_column,
                       (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid
                            AND p.polqual IS NOT NULL AND p.polwithcheck IS NOT NULL
                            AND pg_get_expr(p.polqual, p.polrelid) LIKE '%ilc_current_tenant()%'
                            AND pg_get_expr(p.polwithcheck, p.polrelid) LIKE '%ilc_current_tenant()%') AS policies,
                       (SELECT count(*) FROM pg_constraint f WHERE f.conrelid = c.oid AND f.contype = 'f'
                            AND f.confrelid <> 'tenants'::regclass
                            AND (SELECT attname FROM pg_attribute WHERE attrelid = c.oid AND attnum = f.conkey[1]) <> 'tenant_id')
                            AS foreign_keys_without_tenant
                FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY(\(tables))
                """
            ).collect()
            #expect(rows.count == tables.count)
            for row in rows {
                let (table, enabled, forced, firstKeyColumn, policies, looseForeignKeys) = try row.decode(
                    (String, Bool, Bool, String?, Int, Int).self)
                #expect(enabled, "\(table): row-level security not enabled")
                #expect(forced, "\(table): row-level security not forced")
                #expect(firstKeyColumn == "tenant_id", "\(table): primary key starts with \(firstKeyColumn ?? "nothing")")
                #expect(policies >= 1, "\(table): no policy with USING and WITH CHECK on the current tenant")
                #expect(looseForeignKeys == 0, "\(table): a foreign key does not start with tenant_id")
            }
        }
    }

    /// Deleting a referenced row (a tenant, a participant) finds the referencing rows
    /// by the key's columns: without an index under them, every such lookup scans.
    @Test func everyForeignKeyHasAnIndexLedByItsColumns() async throws {
        try await TestDatabase.withApp { database in
            let rows = try await database.client.query(
                """
                SELECT c.conrelid::regclass::text, c.conname
                FROM pg_constraint c
                WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
                  AND NOT EXISTS (
                      SELECT FROM pg_index i
                      WHERE i.indrelid = c.conrelid
                        AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
                        AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey)
                """
            ).collect()
            for row in rows {
                let (table, constraint) = try row.decode((String, String).self)
                Issue.record("\(table).\(constraint) has no index led by its columns")
            }
            #expect(rows.isEmpty)
        }
    }

    @Test func tenantBCannotReadChangeDeleteOrInsertTenantARows() async throws {
        try await TestDatabase.withApp { database in
            let tenantA = try await TestDatabase.makeTenant(database).id
            let tenantB = try await TestDatabase.makeTenant(database).id
            try await TenantFixture.seed(tenantA, in: database)
            try await TenantFixture.seed(tenantB, in: database)

            for table in try await tenantTables(database) {
                let quoted = "\"\(table)\""
                let countA = try await count(table: quoted, tenant: tenantA, as: tenantA, in: database)
                #expect(countA >= 1, "\(table): the fixture left it empty; add a row to TenantFixture")

                // Read: B sees none of A's rows, even when asking for them by tenant_id.
                #expect(try await count(table: quoted, tenant: tenantA, as: tenantB, in: database) == 0, "\(table): B read A")

                // Change and delete: B's statements aimed at A's rows touch nothing.
                let updated = try await database.withTenantTransaction(tenantB) { transaction in
                    try await transaction.execute(
                        "UPDATE \(unescaped: quoted) SET tenant_id = tenant_id WHERE tenant_id = \(tenantA)")
                }
                #expect(updated == 0, "\(table): B updated A's rows")
                let deleted = try await database.withTenantTransaction(tenantB) { transaction in
                    try await transaction.execute("DELETE FROM \(unescaped: quoted) WHERE tenant_id = \(tenantA)")
                }
                #expect(deleted == 0, "\(table): B deleted A's rows")
                #expect(try await count(table: quoted, tenant: tenantA, as: tenantA, in: database) == countA)

                // Insert: B cannot write a row carrying A's tenant_id…
                let rowOfA = try await database.withTenantTransaction(tenantA) { transaction in
                    try await transaction.query("SELECT to_jsonb(t)::text FROM \(unescaped: quoted) t LIMIT 1")[0]
                        .decode(String.self)
                }
                await expectRefused(table) {
                    try await database.withTenantTransaction(tenantB) { transaction in
                        try await transaction.execute(
                            "INSERT INTO \(unescaped: quoted) SELECT * FROM jsonb_populate_record(NULL::\(unescaped: quoted), \(rowOfA)::jsonb)")
                    }
                }
                // …nor move one of its own rows over to A.
                await expectRefused(table) {
                    try await database.withTenantTransaction(tenantB) { transaction in
                        try await transaction.execute(
                            "UPDATE \(unescaped: quoted) SET tenant_id = \(tenantA) WHERE tenant_id = \(tenantB)")
                    }
                }
            }
        }
    }

    /// Deleting a tenant leaves none of its rows in any tenant table (the jobs, which
    /// have no foreign key, included) and every other tenant's rows where they were.
    @Test func deletingATenantRemovesItsRowsFromEveryTenantTableAndNoOneElses() async throws {
        try await TestDatabase.withApp { database in
            let deleted = try await TestDatabase.makeTenant(database)
            let kept = try await TestDatabase.makeTenant(database).id
            try await TenantFixture.seed(deleted.id, in: database)
            try await TenantFixture.seed(kept, in: database)
            let store = TenantStore(database: database)
            // The slug must match: otherwise nothing happens.
            #expect(try await store.delete(id: deleted.id, slug: "not-\(deleted.slug)") == nil)
            #expect(try await count(table: "jobs", tenant: deleted.id, as: deleted.id, in: database) == 1)
            #expect(try await store.delete(id: deleted.id, slug: deleted.slug.rawValue) == [])
            #expect(try await store.find(id: deleted.id) == nil)
            for table in try await tenantTables(database) {
                let quoted = "\"\(table)\""
                #expect(try await count(table: quoted, tenant: deleted.id, as: deleted.id, in: database) == 0, "\(table) kept rows")
                #expect(try await count(table: quoted, tenant: kept, as: kept, in: database) >= 1, "\(table) lost another tenant's rows")
            }
            // Only operator scope deletes tenants.
            await #expect(throws: (any Error).self) {
                try await database.withTenantTransaction(kept) { transaction in
                    try await transaction.query("SELECT * FROM ilc_delete_tenant(\(kept), 'any')")
                }
            }
        }
    }

    @Test func queriesWithoutATenantFailAndOtherScopesSeeNoTenantData() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database).id
            try await TenantFixture.seed(tenant, in: database)
            for table in try await tenantTables(database) {
                await expectRefused(table, message: "no tenant is set") {
                    try await database.withUnscopedTransaction { transaction in
                        try await transaction.query("SELECT count(*) FROM \(unescaped: "\"\(table)\"")")
                    }
                }
                // Operator scope opens the global tables only: no tenant's rows.
                let seenByOperator = try await database.withOperatorTransaction { transaction in
                    try await transaction.query("SELECT count(*) FROM \(unescaped: "\"\(table)\"")")[0].decode(Int.self)
                }
                #expect(seenByOperator == 0, "\(table): operator scope saw \(seenByOperator) rows")
                // Queue scope opens the jobs table only.
                if table != "jobs" {
                    let seenByQueue = try await database.withQueueTransaction { transaction in
                        try await transaction.query("SELECT count(*) FROM \(unescaped: "\"\(table)\"")")[0].decode(Int.self)
                    }
                    #expect(seenByQueue == 0, "\(table): queue scope saw \(seenByQueue) rows")
                }
            }
        }
    }

    @Test func aTenantSeesOnlyItsOwnTenantRow() async throws {
        try await TestDatabase.withApp { database in
            let tenantA = try await TestDatabase.makeTenant(database)
            _ = try await TestDatabase.makeTenant(database)
            let visible = try await database.withTenantTransaction(tenantA.id) { transaction in
                try await transaction.query("SELECT id FROM tenants").map { try $0.decode(UUID.self) }
            }
            #expect(visible == [tenantA.id])
            // And cannot create tenants: that takes operator scope.
            await expectRefused("tenants") {
                try await database.withTenantTransaction(tenantA.id) { transaction in
                    try await transaction.execute("INSERT INTO tenants (slug, name, kind) VALUES ('sneaky', 'x', 'state')")
                }
            }
        }
    }

    @Test func theApplicationRoleOwnsNothingAndBypassesNothing() async throws {
        try await TestDatabase.withApp { database in
            let rows = try await database.client.query(
                """
                SELECT r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb,
                       (SELECT count(*) FROM pg_class WHERE relowner = r.oid),
                       (SELECT count(*) FROM pg_proc WHERE proowner = r.oid),
                       (SELECT count(*) FROM pg_type WHERE typowner = r.oid),
                       (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid),
                       (SELECT count(*) FROM pg_database WHERE datdba = r.oid)
                FROM pg_roles r WHERE r.rolname = current_user
                """
            ).collect()
            let (superuser, bypass, createRole, createDatabase, relations, functions, types, schemas, databases) =
                try #require(rows.first).decode((Bool, Bool, Bool, Bool, Int, Int, Int, Int, Int).self)
            #expect(!superuser)
            #expect(!bypass)
            #expect(!createRole)
            #expect(!createDatabase)
            #expect(relations == 0, "ilc_app owns \(relations) tables, views or sequences")
            #expect(functions == 0)
            #expect(types == 0)
            #expect(schemas == 0)
            #expect(databases == 0)
        }
    }

    // MARK: helpers

    private func tenantTables(_ database: Database) async throws -> [String] {
        let rows = try await database.client.query(
            """
            SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
              AND a.attname = 'tenant_id' AND NOT a.attisdropped
            ORDER BY c.relname
            """
        ).collect()
        return try rows.map { try $0.decode(String.self) }
    }

    private func count(table: String, tenant: UUID, as viewer: UUID, in database: Database) async throws -> Int {
        try await database.withTenantTransaction(viewer) { transaction in
            try await transaction.query("SELECT count(*) FROM \(unescaped: table) WHERE tenant_id = \(tenant)")[0]
                .decode(Int.self)
        }
    }

    /// Expects PostgreSQL to refuse with insufficient_privilege (42501): an RLS
    /// violation, or "no tenant is set" when `message` says so.
    private func expectRefused<Ignored>(
        _ table: String, message: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Ignored
    ) async {
        do {
            _ = try await body()
            Issue.record("\(table): PostgreSQL allowed it", sourceLocation: sourceLocation)
        } catch let error as PSQLError {
            let serverMessage = error.serverInfo?[.message] ?? "\(error)"
            #expect(error.sqlState == "42501", "\(table): \(serverMessage)", sourceLocation: sourceLocation)
            if let message {
                #expect(serverMessage.contains(message), "\(table): \(serverMessage)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("\(table): unexpected \(error)", sourceLocation: sourceLocation)
        }
    }
}

/// Parallel plans evaluate a policy's initplans up front, including the branch a
/// CASE would skip; the scope functions must keep that from raising (or leaking).
@Suite struct ParallelPlanTests {
    @Test func scopedQueriesHoldUnderForcedParallelPlans() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database).id
            try await TenantFixture.seed(tenant, in: database)
            let forceParallel: [PostgresQuery] = [
                "SELECT set_config('parallel_setup_cost', '0', true)", "SELECT set_config('parallel_tuple_cost', '0', true)",
                "SELECT set_config('min_parallel_table_scan_size', '0', true)",
                "SELECT set_config('max_parallel_workers_per_gather', '2', true)",
                "SELECT set_config('enable_indexscan', 'off', true)", "SELECT set_config('enable_bitmapscan', 'off', true)",
                "SELECT set_config('enable_indexonlyscan', 'off', true)",
            ]
            let queueCount = try await database.withQueueTransaction { transaction in
                for setting in forceParallel { try await transaction.execute(setting) }
                return try await transaction.query("SELECT count(*) FROM jobs")[0].decode(Int.self)
            }
            #expect(queueCount >= 1)
            let tenantCount = try await database.withOperatorTransaction { transaction in
                for setting in forceParallel { try await transaction.execute(setting) }
                return try await transaction.query("SELECT count(*) FROM tenants")[0].decode(Int.self)
            }
            #expect(tenantCount >= 1)
            let ownJobs = try await database.withTenantTransaction(tenant) { transaction in
                for setting in forceParallel { try await transaction.execute(setting) }
                return try await transaction.query("SELECT count(*) FROM jobs")[0].decode(Int.self)
            }
            #expect(ownJobs == 1)
        }
    }
}

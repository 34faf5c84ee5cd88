import ILCTestSupport
import Testing

@testable import ILCStore

@Suite struct SQLScriptTests {
    @Test func splitsOnSemicolonsBetweenStatements() {
        #expect(SQLScript.statements(in: "SELECT 1; SELECT 2;\n\nSELECT 3") == ["SELECT 1", "SELECT 2", "SELECT 3"])
    }

    @Test func keepsSemicolonsInsideQuotesAndComments() {
        let script = """
            INSERT INTO t VALUES ('a;b', 'it''s; fine', E'back\\\\slash\\'; still');
            -- a comment; with a semicolon
            SELECT "odd;name" FROM t; /* block; /* nested; */ still comment; */ SELECT 2;
            """
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 3)
        #expect(statements[0].hasSuffix("still')"))
        #expect(statements[1].hasSuffix("FROM t"))
        #expect(statements[2].hasSuffix("SELECT 2"))
    }

    @Test func keepsDollarQuotedBodiesWhole() {
        let script = """
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
            DO $body$ BEGIN PERFORM 1; PERFORM $$not the end;$$; END $body$;
            SELECT $1::int;
            """
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 3)
        #expect(statements[0].hasSuffix("END $$"))
        #expect(statements[1].hasSuffix("END $body$"))
        #expect(statements[2] == "SELECT $1::int")
    }

    @Test func dropsEmptyAndCommentOnlyChunks() {
        #expect(SQLScript.statements(in: ";;\n-- only a comment\n  ;") == [])
    }

    @Test func theRealMigrationsSplitIntoStatements() throws {
        let migrations = try Migration.load(from: TestDatabase.schemaDirectory)
        #expect(!migrations.isEmpty)
        for migration in migrations {
            let statements = SQLScript.statements(in: migration.sql)
            #expect(!statements.isEmpty, "\(migration.name)")
            #expect(statements.allSatisfy { !$0.hasSuffix(";") })
        }
        let domainModel = try #require(migrations.first)
        #expect(SQLScript.statements(in: domainModel.sql).count > 50)
    }
}

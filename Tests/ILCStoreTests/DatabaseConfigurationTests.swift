import Testing

@testable import ILCStore

@Suite struct DatabaseConfigurationTests {
    @Test func parsesAFullURL() throws {
        let configuration = try DatabaseConfiguration(
            url: "postgres://ilc_app:p%40ss%3Aword@db.internal:6543/ilc?sslmode=require&max_connections=7")
        #expect(configuration.host == "db.internal")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "ilc_app")
        #expect(configuration.password == "p@ss:word")
        #expect(configuration.database == "ilc")
        #expect(configuration.tlsMode == .require)
        #expect(configuration.maximumConnections == 7)
    }

    @Test func defaultsPortAndTLS() throws {
        let configuration = try DatabaseConfiguration(url: "postgresql://me@localhost/ilc")
        #expect(configuration.port == 5432)
        #expect(configuration.tlsMode == .prefer)
        #expect(configuration.password == nil)
    }

    @Test(arguments: [
        ("mysql://u@h/db", "postgres://"),
        ("postgres://u@h", "one database"),
        ("postgres://h/db", "user name"),
        ("postgres://u@h/db?sslmode=maybe", "sslmode"),
        ("postgres://u@h/db?pool=3", "unknown parameter 'pool'"),
        ("postgres://u@h/db?max_connections=0", "max_connections must be a whole number from 1 to 10000"),
        ("postgres://u@h/db?max_connections=99999999", "max_connections must be a whole number from 1 to 10000"),
        ("not a url at all", "postgres://"),
    ])
    func badURLsSayWhatIsWrong(_ url: String, _ expected: String) {
        do {
            _ = try DatabaseConfiguration(url: url)
            Issue.record("accepted \(url)")
        } catch {
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test func badURLErrorsNeverEchoThePassword() {
        do {
            _ = try DatabaseConfiguration(url: "postgres://u:hunter2@h/db?sslmode=bad")
            Issue.record("accepted a bad sslmode")
        } catch {
            #expect(!error.message.contains("hunter2"))
        }
    }

    @Test func missingVariableIsNamed() {
        do {
            _ = try DatabaseConfiguration.fromEnvironment("ILC_DATABASE_URL", environment: [:])
            Issue.record("accepted a missing variable")
        } catch {
            #expect(error.message.contains("ILC_DATABASE_URL"))
        }
    }
}

import Foundation
import NIOSSL
import PostgresNIO

/// Where and how to reach PostgreSQL, read from a `postgres://` URL such as
/// `postgres://ilc_app:secret@127.0.0.1:55432/ilc?sslmode=disable`.
public struct DatabaseConfiguration: Sendable, Equatable {
    public enum TLSMode: String, Sendable, Equatable {
        case disable
        case prefer
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode
    public var maximumConnections: Int

    public init(
        host: String, port: Int = 5432, username: String, password: String?, database: String,
        tlsMode: TLSMode = .prefer, maximumConnections: Int = 20
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tlsMode = tlsMode
        self.maximumConnections = maximumConnections
    }

    /// Parses a URL; the error names what is wrong and never echoes the password.
    public init(url text: String) throws(ConfigurationError) {
        guard let components = URLComponents(string: text) else {
            throw ConfigurationError("database URL is not a URL (expected postgres://user:password@host:port/database)")
        }
        guard let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw ConfigurationError("database URL must start with postgres:// (got '\(components.scheme ?? "")')")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ConfigurationError("database URL has no host")
        }
        guard let username = components.user, !username.isEmpty else {
            throw ConfigurationError("database URL has no user name")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw ConfigurationError("database URL must name one database in its path, as in postgres://user@host/ilc")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw ConfigurationError("database URL port \(port) is out of range")
        }
        var tlsMode = TLSMode.prefer
        var maximumConnections = 20
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw ConfigurationError("database URL sslmode must be disable, prefer or require (got '\(item.value ?? "")')")
                }
                tlsMode = mode
            case "max_connections":
                guard let value = item.value.flatMap(Int.init), (1...10_000).contains(value) else {
                    throw ConfigurationError("database URL max_connections must be a whole number from 1 to 10000")
                }
                maximumConnections = value
            default:
                throw ConfigurationError("database URL has an unknown parameter '\(item.name)' (known: sslmode, max_connections)")
            }
        }
        self.init(
            host: host, port: port, username: username, password: components.password, database: database,
            tlsMode: tlsMode, maximumConnections: maximumConnections)
    }

    /// Reads `variable` from the environment, failing with a message that names it.
    public static func fromEnvironment(
        _ variable: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> DatabaseConfiguration {
        guard let text = environment[variable], !text.isEmpty else {
            throw ConfigurationError("\(variable) is not set (ops/services env prints it)")
        }
        do {
            return try DatabaseConfiguration(url: text)
        } catch {
            throw ConfigurationError("\(variable): \(error.message)")
        }
    }

    var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch tlsMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = maximumConnections
        // At least one: with none, PostgresNIO's pool (1.33) does not replace its last
        // connection when that closes (a terminated backend, a failover) while leases
        // wait, and they wait until some later lease asks for a connection — forever if
        // none comes (postgres-nio issue 657). A minimum makes it open a new one at once.
        configuration.options.minimumConnections = 1
        return configuration
    }
}

import Foundation

/// Where and how to reach Redis, read from a URL such as
/// `redis://:password@127.0.0.1:56379/0?pool_size=4`.
public struct RedisConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var database: Int
    /// Shared, pipelined connections for ordinary commands. Blocking commands get
    /// their own connections on top.
    public var poolSize: Int
    public var connectTimeout: Duration
    public var commandTimeout: Duration
    /// How long to keep retrying (with backoff) to reconnect before a command fails.
    public var reconnectTimeout: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 6379, username: String? = nil, password: String? = nil,
        database: Int = 0, poolSize: Int = 2, connectTimeout: Duration = .seconds(2),
        commandTimeout: Duration = .seconds(10), reconnectTimeout: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.poolSize = poolSize
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.reconnectTimeout = reconnectTimeout
    }

    public init(url text: String) throws(RedisError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme else {
            throw .invalidConfiguration("Redis URL is not a URL (expected redis://host:port/db)")
        }
        guard scheme.lowercased() == "redis" else {
            throw .invalidConfiguration("Redis URL must start with redis:// (got '\(scheme)'; TLS is not supported by hiredis 0.14)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidConfiguration("Redis URL has no host")
        }
        let port = components.port ?? 6379
        guard (1...65535).contains(port) else {
            throw .invalidConfiguration("Redis URL port \(port) is out of range")
        }
        let path = components.path.drop(while: { $0 == "/" })
        var database = 0
        if !path.isEmpty {
            guard let number = Int(path), number >= 0 else {
                throw .invalidConfiguration("Redis URL path must be a database number (got '\(path)')")
            }
            database = number
        }
        self.init(
            host: host, port: port, username: components.user.flatMap { $0.isEmpty ? nil : $0 },
            password: components.password, database: database)
        for item in components.queryItems ?? [] {
            // Bounds far past any sensible value: connections are opened per pool slot.
            func number(upTo limit: Int) throws(RedisError) -> Int {
                guard let value = item.value.flatMap(Int.init), (1...limit).contains(value) else {
                    throw .invalidConfiguration("Redis URL parameter '\(item.name)' must be a whole number from 1 to \(limit)")
                }
                return value
            }
            let dayInMilliseconds = 86_400_000
            switch item.name {
            case "pool_size": poolSize = try number(upTo: 1_000)
            case "connect_timeout_ms": connectTimeout = .milliseconds(try number(upTo: dayInMilliseconds))
            case "command_timeout_ms": commandTimeout = .milliseconds(try number(upTo: dayInMilliseconds))
            case "reconnect_timeout_ms": reconnectTimeout = .milliseconds(try number(upTo: dayInMilliseconds))
            default:
                throw .invalidConfiguration(
                    "Redis URL has an unknown parameter '\(item.name)' (known: pool_size, connect_timeout_ms, command_timeout_ms, reconnect_timeout_ms)")
            }
        }
    }

    /// Reads `variable` from the environment, failing with a message that names it.
    public static func fromEnvironment(
        _ variable: String = "ILC_REDIS_URL", environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(RedisError) -> RedisConfiguration {
        guard let text = environment[variable], !text.isEmpty else {
            throw .invalidConfiguration("\(variable) is not set (ops/services env prints it)")
        }
        return try RedisConfiguration(url: text)
    }
}

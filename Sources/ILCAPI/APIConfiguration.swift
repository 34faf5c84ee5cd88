import ILCRedis
import ILCStore

/// What `ilc-api` needs to run: where to listen and what to connect to.
public struct APIConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var database: DatabaseConfiguration
    public var redis: RedisConfiguration

    public init(host: String = "127.0.0.1", port: Int = 8080, database: DatabaseConfiguration, redis: RedisConfiguration) {
        self.host = host
        self.port = port
        self.database = database
        self.redis = redis
    }
}

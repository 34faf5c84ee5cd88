import Testing

@testable import ILCRedis

@Suite struct RedisConfigurationTests {
    @Test func parsesAFullURL() throws {
        let configuration = try RedisConfiguration(
            url: "redis://worker:p%40ss@cache.internal:7000/3?pool_size=4&command_timeout_ms=2500")
        #expect(configuration.host == "cache.internal")
        #expect(configuration.port == 7000)
        #expect(configuration.username == "worker")
        #expect(configuration.password == "p@ss")
        #expect(configuration.database == 3)
        #expect(configuration.poolSize == 4)
        #expect(configuration.commandTimeout == .milliseconds(2500))
    }

    @Test func passwordWithoutUserName() throws {
        let configuration = try RedisConfiguration(url: "redis://:only-password@127.0.0.1")
        #expect(configuration.username == nil)
        #expect(configuration.password == "only-password")
        #expect(configuration.port == 6379)
        #expect(configuration.database == 0)
    }

    @Test(arguments: [
        "rediss://h:6379", "http://h", "redis://h/notanumber", "redis://h/0?pool_size=0", "redis://h/0?colour=blue",
        "redis://h/0?pool_size=1001", "redis://h/0?command_timeout_ms=9223372036854775807",
        "redis:///0",
    ])
    func badURLsAreRefused(_ url: String) {
        #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
    }

    @Test func missingVariableIsNamed() {
        #expect(throws: RedisError.invalidConfiguration("ILC_REDIS_URL is not set (ops/services env prints it)")) {
            try RedisConfiguration.fromEnvironment("ILC_REDIS_URL", environment: [:])
        }
    }

    @Test func functionLibrariesNeedAShebangWithAName() throws {
        #expect(try RedisFunctionLibrary(source: "#!lua name=queue\nreturn 1").name == "queue")
        #expect(throws: RedisError.self) { try RedisFunctionLibrary(source: "return 1") }
    }
}

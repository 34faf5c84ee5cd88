import ArgumentParser
import Foundation
import Hummingbird
import ILCAPI
import struct ILCCore.WholeNumberSetting
import ILCRedis
import ILCStore
import ILCTracing
import ILCWebhooks
import ILCLogging
import Logging
import Metrics
import Prometheus

@main
struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ilc-api",
        abstract: "Serve the ILC partner API (contract: GET /openapi.yaml).",
        discussion: "SIGTERM or SIGINT stops accepting connections and lets requests in flight finish.")

    @Option(help: "Address to listen on (default: $ILC_HTTP_HOST or 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default: $ILC_HTTP_PORT or 8080).")
    var port: Int?

    @Option(help: "PostgreSQL URL for the application role (default: $ILC_DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "Redis URL (default: $ILC_REDIS_URL).")
    var redisURL: String?

    @Option(help: "Requests per second per tenant; 0 turns the limit off (default: $ILC_RATE_LIMIT or 100).")
    var rateLimit: Int?

    @Option(help: "Seconds a verified API key is kept in memory; a revoked key stops working within this (default: $ILC_KEY_CACHE_SECONDS or 10; 0 checks every request).")
    var keyCacheSeconds: Int?

    @Option(help: "Largest request body in bytes; a larger one is answered 413 (default: $ILC_MAX_BODY_BYTES or 16777216, 16 MiB).")
    var maxBodyBytes: Int?

    @Option(help: "Days a finished job (succeeded, failed, canceled) is kept before it is deleted; 0 keeps finished jobs for ever (default: $ILC_JOB_RETENTION_DAYS or 30).")
    var jobRetentionDays: Int?

    @Option(help: "Seconds a connection may send nothing (a stalled or slow client, an idle keep-alive) before it is closed (default: $ILC_HTTP_IDLE_TIMEOUT_SECONDS or 60).")
    var idleTimeout: Int?

    @Option(help: "Failed checks of well-formed API keys from one client address in 5 minutes before its keys are no longer checked until the 5 minutes are over (429 client_locked); 0 turns the limit off (default: $ILC_AUTH_FAILURES_PER_CLIENT or 100).")
    var authFailuresPerClient: Int?

    @Option(help: "Comma-separated addresses and prefixes of proxies whose X-Forwarded-For names the client (default: $ILC_TRUSTED_PROXIES, else none).")
    var trustedProxies: String?

    @Flag(help: "Let webhook endpoints point at loopback and private addresses (default: $ILC_WEBHOOK_ALLOW_PRIVATE_NETWORKS, else no).")
    var webhookAllowPrivateNetworks = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    @Option(help: "Log lines as text or json, one object per line (default: $ILC_LOG_FORMAT, else text).")
    var logFormat: String?

    func validate() throws {
        guard LogFormat.chosen(flag: logFormat, environment: ProcessInfo.processInfo.environment) != nil else {
            throw ValidationError("--log-format (or ILC_LOG_FORMAT) must be text or json")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error")
        }
        do {
            try WholeNumberSetting.check(numberSettings, in: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
        do {
            _ = try TrustedProxies(parsing: trustedProxies ?? ProcessInfo.processInfo.environment["ILC_TRUSTED_PROXIES"] ?? "")
        } catch {
            throw ValidationError("--trusted-proxies or ILC_TRUSTED_PROXIES: \(error.message)")
        }
    }

    // Upper bounds far past any sensible value, so that the durations made of them
    // (days in seconds, seconds in nanoseconds) cannot overflow.
    private var portSetting: WholeNumberSetting {
        .init(flag: port, flagName: "--port", variable: "ILC_HTTP_PORT", range: 0...65535, meaning: "a port number", fallback: 8080)
    }
    private var rateLimitSetting: WholeNumberSetting {
        .init(
            flag: rateLimit, flagName: "--rate-limit", variable: "ILC_RATE_LIMIT", range: 0...1_000_000,
            meaning: "a number of requests per second from 0 to 1000000", fallback: 100)
    }
    private var keyCacheSetting: WholeNumberSetting {
        .init(
            flag: keyCacheSeconds, flagName: "--key-cache-seconds", variable: "ILC_KEY_CACHE_SECONDS", range: 0...86_400,
            meaning: "a number of seconds from 0 to 86400", fallback: 10)
    }
    private var bodyLimitSetting: WholeNumberSetting {
        .init(
            flag: maxBodyBytes, flagName: "--max-body-bytes", variable: "ILC_MAX_BODY_BYTES", range: 1_024...(1 << 30),
            meaning: "a number of bytes from 1024 to 1073741824", fallback: 16 << 20)
    }
    private var jobRetentionSetting: WholeNumberSetting {
        .init(
            flag: jobRetentionDays, flagName: "--job-retention-days", variable: "ILC_JOB_RETENTION_DAYS", range: 0...36_500,
            meaning: "a whole number of days from 0 to 36500", fallback: 30)
    }
    private var idleTimeoutSetting: WholeNumberSetting {
        .init(
            flag: idleTimeout, flagName: "--idle-timeout", variable: "ILC_HTTP_IDLE_TIMEOUT_SECONDS", range: 1...86_400,
            meaning: "a whole number of seconds from 1 to 86400", fallback: 60)
    }
    private var authFailuresSetting: WholeNumberSetting {
        .init(
            flag: authFailuresPerClient, flagName: "--auth-failures-per-client", variable: "ILC_AUTH_FAILURES_PER_CLIENT",
            range: 0...Int.max, meaning: "a whole number of failures", fallback: 100)
    }
    private var numberSettings: [WholeNumberSetting] {
        [portSetting, rateLimitSetting, bodyLimitSetting, keyCacheSetting, jobRetentionSetting, idleTimeoutSetting, authFailuresSetting]
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        (LogFormat.chosen(flag: logFormat, environment: ProcessInfo.processInfo.environment) ?? .text).bootstrap(level: level)
        let logger = Logger(label: "ilc.api")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let environment = ProcessInfo.processInfo.environment
        let tracing = try TracingSetup.bootstrap(serviceName: "ilc-api", environment: environment, logger: logger)
        let databaseConfiguration = try databaseURL.map { try DatabaseConfiguration(url: $0) }
            ?? DatabaseConfiguration.fromEnvironment("ILC_DATABASE_URL")
        let redisConfiguration = try redisURL.map { try RedisConfiguration(url: $0) } ?? RedisConfiguration.fromEnvironment()
        let listenHost = host ?? environment["ILC_HTTP_HOST"] ?? "127.0.0.1"
        let listenPort = try portSetting.value(in: environment)

        let database = Database(configuration: databaseConfiguration, logger: logger)
        let redis = RedisClient(configuration: redisConfiguration, logger: logger)
        let limit = try rateLimitSetting.value(in: environment)
        let watch = DatabaseWatch(configuration: databaseConfiguration, logger: logger)
        let failuresPerClient = try authFailuresSetting.value(in: environment)
        let proxies = try TrustedProxies(parsing: trustedProxies ?? environment["ILC_TRUSTED_PROXIES"] ?? "")
        let router = try buildRouter(
            database: database, redis: redis, metrics: registry, bodyLimit: try bodyLimitSetting.value(in: environment),
            rateLimit: limit,
            keyCacheLifetime: .seconds(try keyCacheSetting.value(in: environment)),
            webhookPolicy: .configured(allowingPrivateNetworks: webhookAllowPrivateNetworks, environment: environment),
            databaseWatch: watch, authenticationLimits: AuthenticationLimits(perClient: failuresPerClient), trustedProxies: proxies,
            logger: logger)
        let retentionDays = try jobRetentionSetting.value(in: environment)
        let purger = ExpiredRowPurger(
            database: database, jobRetention: retentionDays > 0 ? .seconds(retentionDays * 86_400) : nil, logger: logger)
        let idleSeconds = try idleTimeoutSetting.value(in: environment)
        let application = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(idleSeconds)))),
            configuration: .init(address: .hostname(listenHost, port: listenPort), serverName: "ilc-api"),
            // The span exporter first, so it stops last and sends what the others traced.
            services: (tracing.map { [$0] } ?? []) + [database, watch, purger],
            logger: logger)
        try await application.runService()
        await redis.close()
    }
}

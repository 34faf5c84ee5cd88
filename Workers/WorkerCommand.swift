import ArgumentParser
import Foundation
import struct ILCCore.WholeNumberSetting
import ILCQueue
import ILCRedis
import ILCStore
import ILCTracing
import ILCWebhooks
import ILCLogging
import Logging
import Metrics
import NIOSSL
import Prometheus
import ServiceLifecycle

@main
struct WorkerCommand: AsyncParsableCommand {
    /// Recorded in the `workers` table.
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "ilc-worker",
        abstract: "Run ILC jobs: fetch fairly across tenants, run handlers, report outcomes.",
        discussion: "SIGTERM or SIGINT stops fetching, lets running jobs finish within --grace, then releases the rest.")

    @Option(help: "Jobs run at once, per job type.")
    var concurrency = 32

    @Option(help: "Comma-separated job types to run (default: every type this binary knows).")
    var types: String?

    @Option(help: "Worker id in logs and leases (default: hostname-pid).")
    var id: String?

    @Option(help: "Seconds running jobs get to finish after SIGTERM.")
    var grace = 30

    @Option(help: "Seconds a job's lease lasts without a heartbeat (how soon a crashed worker's jobs run again).")
    var leaseSeconds = 30

    @Option(help: "Seconds between maintenance passes (reaping, sweeping, Redis rebuilds).")
    var maintenanceSeconds = 5

    @Option(help: "PostgreSQL URL for the application role (default: $ILC_DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "Redis URL (default: $ILC_REDIS_URL).")
    var redisURL: String?

    @Flag(help: "Let webhooks reach loopback and private addresses (default: $ILC_WEBHOOK_ALLOW_PRIVATE_NETWORKS, else no).")
    var webhookAllowPrivateNetworks = false

    @Option(help: "PEM file of CA certificates webhooks trust beside the system's (default: $ILC_WEBHOOK_CA_FILE).")
    var webhookCAFile: String?

    @Option(help: "Seconds a webhook receiver gets to answer.")
    var webhookTimeout = 15

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    @Option(help: "Log lines as text or json, one object per line (default: $ILC_LOG_FORMAT, else text).")
    var logFormat: String?

    @Option(help: "Port for GET /metrics (Prometheus) and GET /healthz; 0 turns it off (default: $ILC_METRICS_PORT or 9464).")
    var metricsPort: Int?

    @Option(help: "Address the metrics port listens on.")
    var metricsHost = "127.0.0.1"

    private var metricsPortSetting: WholeNumberSetting {
        .init(
            flag: metricsPort, flagName: "--metrics-port", variable: "ILC_METRICS_PORT", range: 0...65535,
            meaning: "a port number (0: no metrics port)", fallback: 9464)
    }

    /// Upper bounds far past any sensible value, so that the arithmetic on them
    /// (milliseconds of a lease, durations) cannot overflow.
    private var numberSettings: [WholeNumberSetting] {
        let day = 86_400
        return [
            .init(flag: concurrency, flagName: "--concurrency", range: 1...100_000),
            .init(flag: grace, flagName: "--grace", range: 0...day),
            .init(flag: leaseSeconds, flagName: "--lease-seconds", range: 1...day),
            .init(flag: maintenanceSeconds, flagName: "--maintenance-seconds", range: 1...day),
            .init(flag: webhookTimeout, flagName: "--webhook-timeout", range: 1...day),
            metricsPortSetting,
        ]
    }

    func validate() throws {
        do {
            try WholeNumberSetting.check(numberSettings, in: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
        guard LogFormat.chosen(flag: logFormat, environment: ProcessInfo.processInfo.environment) != nil else {
            throw ValidationError("--log-format (or ILC_LOG_FORMAT) must be text or json")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error")
        }
        _ = try FaultPoint.fromEnvironment(ProcessInfo.processInfo.environment)
        if let types {
            do {
                try HandlerRegistry.check(Self.list(types))
            } catch {
                throw ValidationError("--types: \(error)")
            }
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        (LogFormat.chosen(flag: logFormat, environment: ProcessInfo.processInfo.environment) ?? .text).bootstrap(level: level)
        let logger = Logger(label: "ilc.worker")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        // Before the workers are made: each asks once whether a tracer is installed.
        let tracing = try TracingSetup.bootstrap(
            serviceName: "ilc-worker", environment: ProcessInfo.processInfo.environment, logger: logger)
        let databaseConfiguration = try databaseURL.map { try DatabaseConfiguration(url: $0) }
            ?? DatabaseConfiguration.fromEnvironment("ILC_DATABASE_URL")
        let redisConfiguration = try redisURL.map { try RedisConfiguration(url: $0) } ?? RedisConfiguration.fromEnvironment()

        let database = Database(configuration: databaseConfiguration, logger: logger)
        let redis = RedisClient(configuration: redisConfiguration, logger: logger)
        var template = QueueConfiguration()
        template.leaseDuration = .seconds(leaseSeconds)
        template.heartbeatInterval = .milliseconds(max(leaseSeconds * 1000 / 3, 200))
        template.maintenanceInterval = .seconds(maintenanceSeconds)
        let queues = JobQueues(template: template, database: database, redis: redis, logger: logger)

        let workerID = id ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        let handlerRegistry = try HandlerRegistry(webhookSender: try webhookSender(), queues: queues)
        var handlers = try handlerRegistry.handlers(for: types.map(Self.list))
        if let faultPoint = try FaultPoint.fromEnvironment(ProcessInfo.processInfo.environment) {
            logger.warning("fault injection on", metadata: ["point": "\(faultPoint.moment.rawValue):\(faultPoint.type)"])
            handlers = handlers.map(faultPoint.wrap)
        }
        let workers = try handlers.map { handler in
            Worker(
                id: workerID, queue: try queues.queue(for: handler.type, tuned: Self.tuning(for: handler.type)),
                redis: redis, handlers: [handler],
                concurrency: concurrency, shutdownGrace: .seconds(grace), logger: logger)
        }
        logger.info(
            "ilc-worker starting",
            metadata: ["id": "\(workerID)", "types": "\(handlers.map(\.type))", "concurrency": "\(concurrency)"])

        // The span exporter first, so it stops last and sends what the draining workers traced.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = tracing.map { [.init(service: $0)] } ?? []
        services.append(.init(service: database))
        let listenPort = try metricsPortSetting.value(in: ProcessInfo.processInfo.environment)
        if listenPort > 0 {
            services.append(.init(service: MetricsServer(host: metricsHost, port: listenPort, registry: registry, logger: logger)))
        }
        // Last in, first to shut down: workers drain while the pool and metrics still run.
        let service = WorkerService(
            id: workerID, workers: workers, registry: WorkerRegistry(database: database),
            heartbeatInterval: .seconds(maintenanceSeconds), logger: logger)
        services.append(.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup))
        var configuration = ServiceGroupConfiguration(services: services, logger: logger)
        configuration.gracefulShutdownSignals = [.sigterm, .sigint]
        try await ServiceGroup(configuration: configuration).run()
        await redis.close()
    }

    /// Webhook deliveries are made by a database trigger, not pushed by an enqueuer:
    /// the sweep dispatches them, so it looks often and at once.
    static func tuning(for type: String) -> @Sendable (inout QueueConfiguration) -> Void {
        guard type == WebhookDeliveryHandler.jobType else { return { _ in } }
        return { configuration in
            configuration.sweepAge = .zero
            configuration.maintenanceInterval = min(configuration.maintenanceInterval, .seconds(1))
        }
    }

    private func webhookSender() throws -> WebhookSender {
        let environment = ProcessInfo.processInfo.environment
        let caFile = webhookCAFile ?? environment["ILC_WEBHOOK_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let roots = try caFile.map { try NIOSSLCertificate.fromPEMFile($0) } ?? []
        return try WebhookSender(
            policy: .configured(allowingPrivateNetworks: webhookAllowPrivateNetworks, environment: environment), timeout: .seconds(webhookTimeout),
            additionalTrustRoots: roots)
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

// swift-tools-version:6.1
import PackageDescription

// Every target builds in Swift 6 language mode with strict concurrency.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "ilc-backend",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ilc", targets: ["ilc"]),
        .executable(name: "ilc-worker", targets: ["ilc-worker"]),
        .executable(name: "ilc-api", targets: ["ilc-api"]),
        .library(name: "ILCCore", targets: ["ILCCore"]),
        .library(name: "ILCAnalysis", targets: ["ILCAnalysis"]),
        .library(name: "ILCReports", targets: ["ILCReports"]),
        .library(name: "ILCLogging", targets: ["ILCLogging"]),
        .library(name: "ILCTracing", targets: ["ILCTracing"]),
        .library(name: "ILCStore", targets: ["ILCStore"]),
        .library(name: "ILCRedis", targets: ["ILCRedis"]),
        .library(name: "ILCQueue", targets: ["ILCQueue"]),
        .library(name: "ILCAPI", targets: ["ILCAPI"]),
        .library(name: "ILCWebhooks", targets: ["ILCWebhooks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // OTLP over HTTP only: the gRPC exporter would add grpc-swift to every build.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        .target(name: "ILCCore", swiftSettings: swiftSettings),
        // Pure algorithms (text, themes, groups…): deterministic, no I/O.
        .target(name: "ILCAnalysis", dependencies: ["ILCCore"], swiftSettings: swiftSettings),
        // How the servers write logs: text lines or JSON objects.
        .target(name: "ILCLogging", dependencies: [.product(name: "Logging", package: "swift-log")], swiftSettings: swiftSettings),
        // OpenTelemetry tracing for the servers: OTLP export when configured, nothing otherwise.
        .target(
            name: "ILCTracing",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        // Reports: one document model, small-cell suppression, HTML (Mustache), CSV, JSON.
        .target(
            name: "ILCReports",
            dependencies: ["ILCCore", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ILCStore",
            dependencies: [
                "ILCCore",
                "ILCReports",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Its error type is how the pool says it cannot connect (Database+Availability).
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CHiredis",
            pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        .target(
            name: "ILCRedis",
            dependencies: [
                "CHiredis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ILCQueue",
            dependencies: [
                "ILCCore",
                "ILCStore",
                "ILCRedis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            resources: [.copy("queue.lua")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ILCWebhooks",
            dependencies: [
                "ILCCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ilc",
            dependencies: [
                "ILCAnalysis",
                "ILCCore",
                "ILCReports",
                "ILCQueue",
                "ILCStore",
                "ILCRedis",
                // `ilc verify` receives webhooks on the tests' loopback receiver.
                "ILCTestSupport",
                "ILCWebhooks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // `ilc bench api` speaks HTTP/1.1 to ilc-api itself.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Its error type tells "cannot connect" apart from other pool failures.
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ILCAPI",
            dependencies: [
                "ILCCore",
                "ILCReports",
                "ILCQueue",
                "ILCRedis",
                "ILCStore",
                "ILCWebhooks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            // The contract is both compiled (server glue) and served as it is.
            resources: [.copy("openapi.yaml"), .copy("ratelimit.lua")],
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .executableTarget(
            name: "ilc-api",
            dependencies: [
                "ILCAPI",
                "ILCCore",
                "ILCLogging",
                "ILCTracing",
                "ILCStore",
                "ILCWebhooks",
                "ILCRedis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ilc-worker",
            dependencies: [
                "ILCAnalysis",
                "ILCCore",
                "ILCLogging",
                "ILCTracing",
                "ILCReports",
                "ILCQueue",
                "ILCRedis",
                "ILCStore",
                "ILCWebhooks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Workers",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ILCCoreTests", dependencies: ["ILCCore"], swiftSettings: swiftSettings),
        .testTarget(name: "ILCAnalysisTests", dependencies: ["ILCAnalysis"], swiftSettings: swiftSettings),
        .testTarget(name: "ILCReportsTests", dependencies: ["ILCReports", "ILCTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ILCLoggingTests", dependencies: ["ILCLogging", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ILCWebhooksTests",
            dependencies: [
                "ILCWebhooks",
                "ILCTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ILCStoreTests",
            dependencies: [
                "ILCCore",
                "ILCReports",
                "ILCStore",
                "ILCTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ILCTestSupport",
            dependencies: [
                "ILCCore",
                "ILCReports",
                "ILCRedis",
                "ILCStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/ILCTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ILCRedisTests",
            dependencies: ["ILCRedis", "ILCTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ILCQueueTests",
            dependencies: ["ILCQueue", "ILCStore", "ILCRedis", "ILCCore", "ILCTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ILCAPITests",
            dependencies: [
                "ILCAPI",
                "ILCCore",
                "ILCReports",
                "ILCQueue",
                "ILCRedis",
                "ILCStore",
                "ILCTestSupport",
                "ILCWebhooks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "ILCAnalysis", "ILCCore", "ILCQueue", "ILCRedis", "ILCReports", "ILCStore", "ILCTestSupport", "ILCWebhooks",
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

import Logging
import OTel
import ServiceLifecycle
import Tracing

/// OpenTelemetry tracing for one server process, configured the OpenTelemetry way by
/// environment variables. It is on when an OTLP endpoint is given
/// (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) and not
/// switched off (`OTEL_SDK_DISABLED=true`, `OTEL_TRACES_EXPORTER=none`); otherwise
/// nothing is exported and spans cost next to nothing. Logs and metrics keep their own
/// backends (swift-log lines, Prometheus): only traces go over OTLP.
public enum TracingSetup {
    /// Whether `environment` asks for traces.
    public static func isRequested(by environment: [String: String]) -> Bool {
        guard let endpoint = endpoint(in: environment), !endpoint.isEmpty else { return false }
        if environment["OTEL_SDK_DISABLED"]?.lowercased() == "true" { return false }
        return environment["OTEL_TRACES_EXPORTER"]?.lowercased() != "none"
    }

    /// Installs the OTLP tracer as the process's tracer when `environment` asks for
    /// traces, and answers the service that exports finished spans (run it in the
    /// process's service group, which flushes it on shutdown); nil otherwise.
    /// `serviceName` applies unless `OTEL_SERVICE_NAME` says otherwise.
    public static func bootstrap(
        serviceName: String, environment: [String: String], logger: Logger
    ) throws -> (any Service)? {
        guard isRequested(by: environment) else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        let (tracer, service) = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(tracer)
        logger.info("tracing to OTLP", metadata: [
            "endpoint": "\(endpoint(in: environment) ?? "")",
            "service": "\(environment["OTEL_SERVICE_NAME"] ?? serviceName)",
        ])
        return service
    }

    /// Where traces go: the traces endpoint, else the general one.
    private static func endpoint(in environment: [String: String]) -> String? {
        environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] ?? environment["OTEL_EXPORTER_OTLP_ENDPOINT"]
    }
}

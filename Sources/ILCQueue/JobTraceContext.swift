import Tracing

/// A job's W3C trace context (`traceparent`): taken from the task that enqueues it
/// (an API request's span) and given back to the worker that runs it, so the run is a
/// span of the request's trace. Empty, and free, while no tracer is installed.
enum JobTraceContext {
    /// The current task's trace context, or "" when it has none.
    static func current() -> String {
        guard let context = ServiceContext.current else { return "" }
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: Fields())
        return carrier["traceparent"] ?? ""
    }

    /// The context a run continues, from the job's stored `traceparent`.
    static func context(traceParent: String) -> ServiceContext {
        var context = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(["traceparent": traceParent], into: &context, using: Fields())
        return context
    }

    private struct Fields: Injector, Extractor {
        func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
            carrier[key] = value
        }

        func extract(key: String, from carrier: [String: String]) -> String? {
            carrier[key]
        }
    }
}

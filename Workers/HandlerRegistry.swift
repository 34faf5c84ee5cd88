import ILCQueue
import ILCReports
import ILCWebhooks

/// Every job type this worker binary can run: one handler file per type in
/// `Workers/Handlers/`.
struct HandlerRegistry {
    static let types = [
        "noop", "theme-detection", "group-formation", "knowledge-sharing", "report-generation", WebhookDeliveryHandler.jobType,
    ]

    let all: [any JobHandler]

    init(webhookSender: WebhookSender, queues: JobQueues, compute: ComputeThreads = ComputeThreads()) throws {
        all = [NoopHandler(), ThemeDetectionHandler(compute: compute), GroupFormationHandler(compute: compute),
            KnowledgeSharingHandler(queue: try queues.queue(for: "knowledge-sharing"), compute: compute),
            ReportGenerationHandler(renderer: try ReportRenderer(), compute: compute),
            WebhookDeliveryHandler(sender: webhookSender)]
    }

    /// The handlers for `types` (all when nil).
    func handlers(for types: [String]?) throws -> [any JobHandler] {
        guard let types else { return all }
        try Self.check(types)
        return all.filter { types.contains($0.type) }
    }

    /// An unknown type is an error naming it.
    static func check(_ types: [String]) throws {
        for type in types where !Self.types.contains(type) {
            throw UnknownJobType(type: type, known: Self.types)
        }
    }
}

struct UnknownJobType: Error, CustomStringConvertible {
    let type: String
    let known: [String]

    var description: String {
        "unknown job type '\(type)' (known: \(known.joined(separator: ", ")))"
    }
}

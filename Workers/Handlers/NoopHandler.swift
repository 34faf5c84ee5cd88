import ILCQueue

/// `noop`: does nothing, optionally for `duration_ms`. For benchmarks of the queue
/// itself and for checking a deployment end to end.
struct NoopHandler: JobHandler {
    let type = "noop"

    private struct Payload: Decodable {
        var durationMilliseconds: Int?

        enum CodingKeys: String, CodingKey {
            case durationMilliseconds = "duration_ms"
        }
    }

    func run(_ context: JobContext) async throws -> String {
        // The common case needs no decoding: this handler measures the queue, not JSON.
        guard context.payload != "{}" else { return "{}" }
        let payload = try context.decodePayload(Payload.self)
        if let milliseconds = payload.durationMilliseconds, milliseconds > 0 {
            try await Task.sleep(for: .milliseconds(milliseconds))
        }
        return "{}"
    }
}

import Foundation
import ILCStore
import Logging

/// What a handler gets for one run.
public struct JobContext: Sendable {
    public let tenantID: UUID
    public let jobID: UUID
    public let type: String
    /// JSON text.
    public let payload: String
    /// 1 on the first run.
    public let attempt: Int
    public let maxAttempts: Int
    /// For the handler's domain reads and writes, through tenant transactions.
    public let database: Database
    let progress: ProgressLedger
    let workerLogger: Logger

    /// The worker's logger with this job's id, tenant and type, made on first use
    /// (most runs log nothing, and metadata is formatted when set).
    public var logger: Logger {
        var logger = workerLogger
        logger[metadataKey: "job"] = .stringConvertible(jobID)
        logger[metadataKey: "tenant"] = .stringConvertible(tenantID)
        logger[metadataKey: "type"] = .string(type)
        return logger
    }

    /// Records progress. Cheap to call often: at most one write per second per job
    /// reaches PostgreSQL.
    public func reportProgress(percent: Double? = nil, processed: Int64? = nil, total: Int64? = nil, message: String? = nil) async {
        let clamped = percent.map { min(max($0, 0), 100) }
        await progress.record(
            jobID, JobRecord.Progress(percent: clamped, processed: processed, total: total, message: message))
    }

    /// Decodes the payload into `type`; a payload that does not fit fails the job
    /// without retries, since running again cannot fix it.
    public func decodePayload<Payload: Decodable>(_ type: Payload.Type) throws -> Payload {
        do {
            return try JSONDecoder().decode(Payload.self, from: Data(payload.utf8))
        } catch {
            throw JobFailure(title: "The job's payload is not valid", detail: "\(error)", retryable: false)
        }
    }
}

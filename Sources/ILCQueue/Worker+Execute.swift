import Foundation
import ILCCore
import ILCStore
import Logging
import Tracing

extension Worker {
    /// Runs one claimed job and queues its outcome for the batched write.
    func execute(_ job: JobStore.Claimed) async {
        let started = ContinuousClock.now
        let outcome: (JobOutcome, result: String?, error: String?, retryAfter: Duration?)
        if let handler = handlers[job.type] {
            let context = JobContext(
                tenantID: job.tenantID, jobID: job.id, type: job.type, payload: job.payload, attempt: job.attempt,
                maxAttempts: job.maxAttempts, database: queue.database, progress: progress, workerLogger: logger)
            do {
                let result = try await run(handler, context, job)
                if Self.isJSON(result) {
                    outcome = (.succeeded, result, nil, nil)
                } else {
                    let failure = JobFailure(
                        title: "The job's handler returned a result that is not JSON",
                        detail: "result starts with: \(result.prefix(80))", retryable: false)
                    logger.error("handler returned a result that is not JSON", metadata: Self.metadata(of: job))
                    outcome = (.failed, nil, failure.problemJSON(attempt: job.attempt), nil)
                }
            } catch {
                outcome = await failedOutcome(job, error: error)
            }
        } else {
            let failure = JobFailure(
                title: "No handler for this job type", detail: "this worker has no handler for '\(job.type)'", retryable: false)
            logger.error("no handler for job type", metadata: Self.metadata(of: job))
            outcome = (.failed, nil, failure.problemJSON(attempt: job.attempt), nil)
        }

        let runTime = started.duration(to: .now)
        metrics.finished(outcome: outcome.0, runTime: runTime)
        runTimes.record(runTime)
        // Progress of a finished job is dropped by the next progress pass, which only
        // writes for jobs still running.
        let stopReason = await running.finish(job.id)
        if stopReason != .leaseLost {
            var generator = SystemRandomNumberGenerator()
            // A retry waits (its own Retry-After, else backoff); a released job is ready
            // again at once unless it was put back for a while.
            let delay = outcome.0 == .retry
                ? outcome.retryAfter
                    ?? configuration.retryBackoff.delay(afterAttempt: job.attempt, using: &generator)
                : outcome.retryAfter ?? .zero
            await completions.add(
                JobCompletion(
                    tenantID: job.tenantID, id: job.id, token: job.token, outcome: outcome.0, result: outcome.result,
                    error: outcome.error, retryDelay: delay))
        }
        await handlerSlots.release(1)
        await holdings.release(1)
    }

    /// The handler's run; with tracing on, a span of the trace of the request that
    /// enqueued the job (or of a trace of its own when it came from elsewhere).
    private func run(_ handler: any JobHandler, _ context: JobContext, _ job: JobStore.Claimed) async throws -> String {
        guard tracesJobs else { return try await handler.run(context) }
        let parent = job.traceParent.map(JobTraceContext.context(traceParent:)) ?? .topLevel
        // Named and described as OpenTelemetry's messaging conventions name a consumer.
        return try await withSpan("process \(job.type)", context: parent, ofKind: .consumer) { span in
            span.attributes["messaging.system"] = "ilc"
            span.attributes["messaging.operation.type"] = "process"
            span.attributes["messaging.destination.name"] = configuration.name
            span.attributes["messaging.message.id"] = job.id.uuidString.lowercased()
            span.attributes["ilc.tenant.id"] = job.tenantID.uuidString.lowercased()
            span.attributes["ilc.job.attempt"] = job.attempt
            return try await handler.run(context)
        }
    }

    /// A result goes into a jsonb column: anything else would fail the whole batch.
    static func isJSON(_ text: String) -> Bool {
        if text == "{}" || text == "null" { return true }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil
    }

    /// A job's log metadata, made only when a line is logged: setting it on the
    /// logger for every job would format it for every job (StreamLogHandler formats
    /// metadata when it is set).
    static func metadata(of job: JobStore.Claimed, _ extra: Logger.Metadata = [:]) -> Logger.Metadata {
        extra.merging(
            ["job": .stringConvertible(job.id), "tenant": .stringConvertible(job.tenantID), "type": .string(job.type)]
        ) { own, _ in own }
    }

    private func failedOutcome(
        _ job: JobStore.Claimed, error: any Error
    ) async -> (JobOutcome, result: String?, error: String?, retryAfter: Duration?) {
        switch await running.stopReason(of: job.id) {
        case .canceled:
            logger.info("job canceled while running", metadata: Self.metadata(of: job))
            return (.canceled, nil, nil, nil)
        case .shutdown:
            logger.info("job released at shutdown", metadata: Self.metadata(of: job))
            return (.released, nil, nil, nil)
        case .leaseLost:
            logger.warning("job stopped: its lease was lost", metadata: Self.metadata(of: job))
            return (.retry, nil, nil, nil)
        case nil where Database.isUnavailable(error) && job.outagePutBacks < configuration.outagePutBackLimit:
            // PostgreSQL out of reach is no fault of the job: it waits again uncharged, or
            // a long outage (and the pool's pause before reconnecting) would use up every
            // attempt of the jobs that happen to be fetched meanwhile.
            logger.warning(
                "job put back: the database is unavailable",
                metadata: Self.metadata(of: job, ["error": "\(error)", "put_backs": "\(job.outagePutBacks + 1)"]))
            var generator = SystemRandomNumberGenerator()
            let delay = configuration.retryBackoff.delay(afterAttempt: job.outagePutBacks + 1, using: &generator)
            return (.putBack, nil, nil, delay)
        case nil:
            let failure = JobFailure(wrapping: error)
            logger.warning(
                "job failed",
                metadata: Self.metadata(
                    of: job,
                    ["attempt": "\(job.attempt)", "retryable": "\(failure.retryable)", "error": "\(failure.detail)"]))
            return (failure.retryable ? .retry : .failed, nil, failure.problemJSON(attempt: job.attempt), failure.retryAfter)
        }
    }

    /// Writes outcomes as they come, many per statement, then tells Redis. Once the
    /// worker is stopping and `finalWriteWindow` has passed, a write still waiting (for
    /// a pool connection to a server that is gone, say) is canceled: it would otherwise
    /// hold the exit until the pool gives up, a minute on.
    func writeCompletions() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.writeUntilFinished() }
            group.addTask {
                await self.completions.untilFinished()
                try? await Task.sleep(for: Self.finalWriteWindow)
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func writeUntilFinished() async {
        var dropped = 0
        for await _ in completions.wakeUps {
            dropped += await flush()
        }
        // Finished: flush what is left.
        dropped += await flush()
        if dropped > 0 {
            logger.error(
                "stopping without writing job outcomes; those jobs run again once their leases expire",
                metadata: ["count": "\(dropped)"])
        }
    }

    /// Writes everything pending; answers how many outcomes it had to drop instead.
    private func flush() async -> Int {
        while true {
            let batch = await completions.take(limit: 1_000)
            if batch.isEmpty { return 0 }
            guard await write(batch) else {
                return batch.count + (await completions.take(limit: .max).count)
            }
        }
    }

    /// How long a stopping worker keeps trying to write outcomes after its jobs drained.
    /// With PostgreSQL (or Redis) gone for good it must still exit; the jobs whose
    /// outcomes it drops run again once their leases expire, as after a kill.
    static let finalWriteWindow = Duration.seconds(15)

    /// Writes one batch, retrying until it is written; false only when the worker is
    /// stopping and `finalWriteWindow` has passed.
    private func write(_ batch: [JobCompletion]) async -> Bool {
        var attempt = 0
        while true {
            do {
                let settled = try await queue.store.complete(batch)
                let requeued = settled.filter { $0.state == JobState.queued.rawValue }
                let finished = settled.filter { $0.state != JobState.queued.rawValue }
                // A refused write (lease lost) changes nothing in Redis: whoever took the
                // job over owns its slot now.
                try await queue.index.requeue(requeued)
                try await queue.index.finish(finished.map { DispatchedJob(tenantID: $0.tenantID, id: $0.id) })
                if settled.count < batch.count {
                    logger.warning("outcomes refused: leases were lost", metadata: ["count": "\(batch.count - settled.count)"])
                }
                return true
            } catch {
                if pastFinalWindow { return false }
                attempt += 1
                logger.error("writing job outcomes failed, retrying", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                // The outcome is only in memory: keep trying. If this process dies the
                // leases expire and the jobs run again.
                try? await Task.sleep(for: .milliseconds(min(100 * attempt, 2_000)))
            }
        }
    }

    private var pastFinalWindow: Bool {
        completions.finished.map { $0.duration(to: .now) > Self.finalWriteWindow } ?? false
    }
}

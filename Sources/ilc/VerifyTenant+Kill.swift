import Foundation

extension VerifyTenant {
    /// Starts a `type` job (`start`) on a worker that pauses at `moment` of this tenant's
    /// jobs of that type (`ILC_FAULT_POINT`), waits until the job is running and
    /// `reached` finds it at that point, kills the worker, lets a fresh one run the job
    /// again and checks that it succeeded on that second attempt. Answers the job and the
    /// seconds from the kill to its end.
    func killedAtFaultPoint(
        type: String, moment: String, start: () async throws -> UUID, reached: (UUID) async throws -> Bool
    ) async throws -> (job: UUID, recovery: Double) {
        let paused = try lab.startWorker(
            "paused-\(moment)-\(type)", types: type, concurrency: 1,
            environment: ["ILC_FAULT_POINT": "\(moment):\(type):\(id.uuidString.lowercased())"])
        var rescuer: VerifyProcess?
        do {
            let job = try await start()
            let deadline = ContinuousClock.now + .seconds(120)
            while true {
                let running = try await jobStates([job])[job]?.state == "running"
                if running, try await reached(job) { break }
                guard ContinuousClock.now < deadline else {
                    throw VerifyFailure("the \(type) job never reached the fault point:\n\(paused.logTail())")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            _ = await paused.stopped(signal: SIGKILL)
            let killed = ContinuousClock.now
            rescuer = try lab.startWorker("rescuer-\(moment)-\(type)", types: type)
            try await waitUntilEnded([job], timeout: .seconds(120))
            let recovery = killed.duration(to: .now).timeInterval
            await rescuer?.stop()
            let state = try await jobStates([job])[job]
            guard state?.state == "succeeded", state?.attempts == 2 else {
                throw VerifyFailure(
                    "the \(type) job ended \(state?.state ?? "missing") after \(state?.attempts ?? 0) attempts; expected succeeded after 2")
            }
            return (job, recovery)
        } catch {
            paused.signal(SIGKILL)
            await rescuer?.stop()
            throw error
        }
    }
}

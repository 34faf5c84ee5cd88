import Foundation
import Synchronization

/// A partner's steady writes while a fault happens: survey batches and jobs of every
/// type in turn (`VerifyJobMix`), each retried with its idempotency key until accepted.
/// What was accepted is what must survive.
final class VerifyTraffic: Sendable {
    private struct State {
        var jobsByType: [String: [UUID]] = [:]
        var acceptedJobs = 0
        var externalIDs: [String] = []
        var unavailable = 0
        var slowest = Duration.zero
        var failure: (any Error)?
        var stopping = false
    }

    private let state = Mutex(State())
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// Starts writing: one request at a time, a pause of `pause` between them.
    static func start(_ tenant: VerifyTenant, mix: VerifyJobMix, pause: Duration = .milliseconds(50)) -> VerifyTraffic {
        let traffic = VerifyTraffic()
        let task = Task {
            var round = 0
            while !traffic.state.withLock({ $0.stopping }) {
                round += 1
                let started = ContinuousClock.now
                // A partner keeps trying for a minute and a half before giving up.
                let deadline = started + .seconds(90)
                do {
                    var accepted: (type: String, job: UUID)?
                    var externalIDs: [String] = []
                    let unavailable: Int
                    if round % 2 == 0 {
                        let type = VerifyJobMix.rotation[(round / 2) % VerifyJobMix.rotation.count]
                        let (job, retried) = try await mix.start(type, tenant, deadline: deadline)
                        (accepted, unavailable) = ((type, job), retried)
                    } else {
                        (externalIDs, unavailable) = try await tenant.submitResponses(3, deadline: deadline)
                    }
                    let took = started.duration(to: .now)
                    traffic.state.withLock {
                        if let accepted {
                            $0.jobsByType[accepted.type, default: []].append(accepted.job)
                            $0.acceptedJobs += 1
                        }
                        $0.externalIDs += externalIDs
                        $0.unavailable += unavailable
                        $0.slowest = max($0.slowest, took)
                    }
                } catch {
                    traffic.state.withLock { $0.failure = $0.failure ?? error }
                    return
                }
                try? await Task.sleep(for: pause)
            }
        }
        traffic.task.withLock { $0 = task }
        return traffic
    }

    /// Waits until it has had `count` jobs accepted (so a fault meets work in progress).
    func waitForJobs(_ count: Int, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while acceptedJobs < count {
            if let failure = state.withLock({ $0.failure }) { throw failure }
            guard ContinuousClock.now < deadline else { throw VerifyFailure("the API accepted fewer than \(count) jobs in \(timeout)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    var acceptedJobs: Int { state.withLock { $0.acceptedJobs } }

    struct Summary: Sendable {
        let jobsByType: [String: [UUID]]
        let externalIDs: [String]
        /// 503 answers seen (and retried).
        let unavailable: Int
        /// The longest a write took to be accepted, retries included.
        let slowest: Duration

        var jobs: [UUID] { jobsByType.values.flatMap { $0 } }
    }

    /// Stops after the request in flight is accepted; a request that never was fails.
    func stop() async throws -> Summary {
        state.withLock { $0.stopping = true }
        await task.withLock({ $0 })?.value
        let final = state.withLock { $0 }
        if let failure = final.failure { throw failure }
        return Summary(
            jobsByType: final.jobsByType, externalIDs: final.externalIDs, unavailable: final.unavailable,
            slowest: final.slowest)
    }
}

import Dispatch
import Foundation
import Synchronization
import ILCQueue
import Testing

@Suite struct ComputeThreadsTests {
    private struct Refused: Error {}

    @Test func answersTheWorksValueOrItsError() async throws {
        let compute = ComputeThreads(count: 1)
        #expect(try await compute.run { (1...100).reduce(0, +) } == 5050)
        await #expect(throws: Refused.self) { try await compute.run { () throws -> Int in throw Refused() } }
    }

    /// Every step reaches `progress`, in order, before the value comes back; a failing
    /// run still ends the forwarding and throws its error.
    @Test func stepsAreForwardedInOrderBeforeTheValue() async throws {
        let compute = ComputeThreads(count: 1)
        let seen = Mutex<[Int]>([])
        let value = try await compute.run { report in
            for step in 1...100 { report(step) }
            return "done"
        } progress: { step in
            seen.withLock { $0.append(step) }
        }
        #expect(value == "done")
        #expect(seen.withLock { $0 } == Array(1...100))
        await #expect(throws: Refused.self) {
            try await compute.run { (report: @Sendable (Int) -> Void) throws -> Int in
                report(1)
                throw Refused()
            } progress: { _ in }
        }
    }

    /// Blocks more threads than the cooperative pool has: the test's own task must still
    /// run, for it is what releases them. Work on the cooperative pool (as with
    /// `Task.detached`) holds every thread, and each blocker gives up unreleased.
    @Test func busyComputeThreadsLeaveTheCooperativePoolFree() async throws {
        let blockers = ProcessInfo.processInfo.activeProcessorCount + 1
        let compute = ComputeThreads(count: blockers)
        let release = DispatchSemaphore(value: 0)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<blockers {
                group.addTask {
                    try await compute.run { release.wait(timeout: .now() + 60) == .success }
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            for _ in 0..<blockers { release.signal() }
            var released = 0
            for try await wasReleased in group where wasReleased { released += 1 }
            #expect(released == blockers)
        }
    }
}

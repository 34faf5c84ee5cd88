import Dispatch
import Foundation
import ILCQueue
import Testing

@Suite struct ComputeThreadsTests {
    private struct Refused: Error {}

    @Test func answersTheWorksValueOrItsError() async throws {
        let compute = ComputeThreads(count: 1)
        #expect(try await compute.run { (1...100).reduce(0, +) } == 5050)
        await #expect(throws: Refused.self) { try await compute.run { () throws -> Int in throw Refused() } }
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

import ArgumentParser
import Foundation
import ILCQueue

/// A pause for fault-injection runs (`ops/verify`), off unless `ILC_FAULT_POINT` says
/// `before-run:TYPE` or `after-run:TYPE`, optionally with `:TENANT` (an id) added: the
/// first attempt of every job of that type (of that tenant) then stops before its
/// handler runs, or after the handler wrote its effect but before the worker records
/// the outcome, and waits there until the process is killed. That is how a verifier
/// kills a worker exactly before or after a job's write; naming the tenant keeps the
/// pause off other tenants' jobs waiting in the same queue.
struct FaultPoint: Sendable, Equatable {
    enum Moment: String, Sendable {
        case beforeRun = "before-run"
        case afterRun = "after-run"
    }

    static let variable = "ILC_FAULT_POINT"

    let moment: Moment
    let type: String
    /// Every tenant when nil.
    let tenantID: UUID?

    /// nil when unset; an error naming the variable when it cannot be read.
    static func fromEnvironment(_ environment: [String: String]) throws -> FaultPoint? {
        guard let text = environment[variable], !text.isEmpty else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let tenantID = parts.count == 3 ? UUID(uuidString: parts[2]) : nil
        guard parts.count == 2 || tenantID != nil, let moment = Moment(rawValue: parts[0]), HandlerRegistry.types.contains(parts[1])
        else {
            throw ValidationError(
                "\(variable) must be before-run:TYPE or after-run:TYPE with a known job type, "
                    + "optionally followed by :TENANT-ID, not '\(text)'")
        }
        return FaultPoint(moment: moment, type: parts[1], tenantID: tenantID)
    }

    /// `handler`, paused at this point when it runs this point's type.
    func wrap(_ handler: any JobHandler) -> any JobHandler {
        handler.type == type ? PausingHandler(wrapped: handler, point: self) : handler
    }
}

private struct PausingHandler: JobHandler {
    let wrapped: any JobHandler
    let point: FaultPoint

    var type: String { wrapped.type }

    func run(_ context: JobContext) async throws -> String {
        if point.moment == .beforeRun { try await pause(context) }
        let result = try await wrapped.run(context)
        if point.moment == .afterRun { try await pause(context) }
        return result
    }

    /// Only on a first attempt, so the run that follows the kill goes through. Task
    /// cancellation (shutdown, a lost lease) still ends the wait.
    private func pause(_ context: JobContext) async throws {
        guard context.attempt == 1, point.tenantID.map({ $0 == context.tenantID }) ?? true else { return }
        context.logger.warning("fault point reached; waiting to be killed", metadata: ["point": "\(point.moment.rawValue)"])
        try await Task.sleep(for: .seconds(86_400))
    }
}

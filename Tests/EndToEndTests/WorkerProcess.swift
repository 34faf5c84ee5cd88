import Foundation
import ILCTestSupport

/// A real `ilc-worker` (or other long-running) process, started with the test
/// process's environment (plus `environment`); its output goes to a log file the test
/// can read.
final class WorkerProcess: @unchecked Sendable {
    let id: String
    private let process = Process()
    private let exit: ProcessExit
    private let logFile: URL

    /// An `ilc-worker` with this worker id.
    convenience init(id: String, arguments: [String], environment: [String: String] = [:]) throws {
        try self.init(executable: "ilc-worker", id: id, arguments: ["--id", id] + arguments, environment: environment)
    }

    init(executable: String, id: String, arguments: [String], environment: [String: String] = [:]) throws {
        self.id = id
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(executable)-\(id)-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = try CLIProcess.executable(named: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        process.standardOutput = try FileHandle(forWritingTo: logFile)
        process.standardError = try FileHandle(forWritingTo: logFile)
        exit = ProcessExit(process)
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: logFile)
    }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    func waitForExit() async -> Int32 {
        await exit.wait()
    }

    var log: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }
}

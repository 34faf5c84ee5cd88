import Foundation
import Synchronization

/// A server process `ilc verify` starts, signals and kills, its output in a log file.
final class VerifyProcess: Sendable {
    let name: String
    let logPath: String
    private let process: Process
    private let exited = Mutex<Int32?>(nil)

    /// Output and errors go to `NAME.log` in `logDirectory`; output to `outputPath`
    /// instead when given.
    init(
        name: String, executable: URL, arguments: [String], environment: [String: String] = [:], logDirectory: String,
        outputPath: String? = nil
    ) throws {
        self.name = name
        logPath = logDirectory + "/" + name + ".log"
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        guard let log = FileHandle(forWritingAtPath: logPath) else { throw VerifyFailure("cannot write \(logPath)") }
        log.seekToEndOfFile()
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        if let outputPath {
            _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        } else {
            process.standardOutput = log
        }
        process.standardInput = FileHandle.nullDevice
        process.standardError = log
        process.terminationHandler = { [weak self] finished in
            VerifyCleanup.forget(finished.processIdentifier)
            self?.exited.withLock { $0 = finished.terminationStatus }
        }
        try process.run()
        VerifyCleanup.register(process.processIdentifier, signal: SIGKILL)
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { exited.withLock { $0 == nil } }

    func signal(_ signal: Int32) {
        if isRunning { kill(process.processIdentifier, signal) }
    }

    /// The exit status (a signal's number when killed by one), or nil if it still runs
    /// after `timeout`. Polls: a verifier waits on several processes at once, often twice.
    func waitForExit(timeout: Duration = .seconds(60)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let status = exited.withLock({ $0 }) { return status }
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Sends `signal` and answers the exit status, or nil if it still ran after `timeout`.
    func stopped(signal number: Int32, timeout: Duration = .seconds(40)) async -> Int32? {
        signal(number)
        return await waitForExit(timeout: timeout)
    }

    /// SIGTERM, then SIGKILL if it has not stopped within `grace`.
    func stop(grace: Duration = .seconds(30)) async {
        signal(SIGTERM)
        if await waitForExit(timeout: grace) == nil {
            signal(SIGKILL)
            _ = await waitForExit(timeout: .seconds(10))
        }
    }

    /// The last lines of its log, for a failure message.
    func logTail(lines: Int = 15) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}

/// A broken promise (or a verifier that could not do its part), with what was seen.
struct VerifyFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

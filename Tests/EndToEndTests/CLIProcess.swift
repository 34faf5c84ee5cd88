import Foundation
import ILCTestSupport

/// Runs the built `ilc` executable as an operator would, with the environment of
/// this process (ILC_DATABASE_URL, … from `ops/services env`) unless overridden.
struct CLIProcess {
    struct Outcome {
        let status: Int32
        let standardOutput: String
        let standardError: String

        var lastLine: String {
            standardOutput.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        }
    }

    /// Reads the output on a thread of its own: blocking the few threads of Swift's
    /// cooperative pool would stall every other test running in parallel.
    static func run(
        _ arguments: [String], executable name: String = "ilc", environment overrides: [String: String?] = [:]
    ) async throws -> Outcome {
        try await run(arguments, executableURL: executable(named: name), environment: overrides)
    }

    static func run(
        _ arguments: [String], executableURL: URL, environment overrides: [String: String?] = [:]
    ) async throws -> Outcome {
        let process = Process()
        process.executableURL = executableURL
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in overrides {
            environment[name] = value
        }
        process.environment = environment
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let exit = ProcessExit(process)
        try process.run()
        // Read to the end before waiting, so the process never blocks on a full pipe.
        let (outputData, errorData) = await withCheckedContinuation { continuation in
            Thread {
                let outputData = output.fileHandleForReading.readDataToEndOfFile()
                let errorData = error.fileHandleForReading.readDataToEndOfFile()
                continuation.resume(returning: (outputData, errorData))
            }.start()
        }
        return Outcome(
            status: await exit.wait(),
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }

    /// `$ILC_BIN_DIR/<name>` when set (ops/test sets it), else next to the test bundle.
    static func executable(named name: String = "ilc") throws -> URL {
        var candidates: [URL] = []
        if let directory = ProcessInfo.processInfo.environment["ILC_BIN_DIR"], !directory.isEmpty {
            candidates.append(URL(fileURLWithPath: directory).appendingPathComponent(name))
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            candidates.append(directory.appendingPathComponent(name))
            directory.deleteLastPathComponent()
        }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CLIError("the \(name) executable was not found (looked at \(candidates.map(\.path))); run swift build first")
        }
        return found
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

import Foundation

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

    /// Waits on a thread of its own: blocking the few threads of Swift's cooperative
    /// pool would stall every other test running in parallel.
    static func run(
        _ arguments: [String], executable name: String = "ilc", environment overrides: [String: String?] = [:]
    ) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try runBlocking(name, arguments, environment: overrides) })
            }
            thread.start()
        }
    }

    private static func runBlocking(_ name: String, _ arguments: [String], environment overrides: [String: String?]) throws -> Outcome {
        let process = Process()
        process.executableURL = try executable(named: name)
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
        try process.run()
        // Read before waiting so the process cannot block on a full pipe (its output is small).
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
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

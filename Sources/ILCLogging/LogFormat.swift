import Logging

/// How `ilc-api` and `ilc-worker` write their logs: lines for people (`text`) or one
/// JSON object per line (`json`), from `--log-format` or `ILC_LOG_FORMAT`.
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json

    /// The flag's value, else the environment's, else text; nil for an unknown name.
    public static func chosen(flag: String?, environment: [String: String]) -> LogFormat? {
        guard let name = flag ?? environment["ILC_LOG_FORMAT"].flatMap({ $0.isEmpty ? nil : $0 }) else { return .text }
        return LogFormat(rawValue: name)
    }

    /// Makes every logger of the process write in this format at `level`.
    public func bootstrap(level: Logger.Level) {
        switch self {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}

/// An error reply from the server, such as `WRONGTYPE Operation against a key …`.
public struct RedisServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The first word of the reply: `ERR`, `WRONGTYPE`, `NOSCRIPT`, `NOAUTH`, `BUSY`, `LOADING`, `OOM`, …
    public let code: String
    /// The whole reply text.
    public let message: String

    public init(message: String) {
        self.message = message
        self.code = message.split(separator: " ", maxSplits: 1).first.map(String.init) ?? "ERR"
    }

    /// `FCALL` of a function that is not loaded (Redis lost it, or never had it).
    public var isFunctionNotFound: Bool {
        code == "ERR" && message.lowercased().contains("function not found")
    }

    public var description: String { message }
}

/// Failures of the client itself, apart from server error replies.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection closed before the reply came; the command may or may not have run.
    case connectionClosed
    /// No reply in time; the connection was closed, since later replies would be out of step.
    case timeout
    case connectionFailed(String)
    case protocolViolation(String)
    case invalidConfiguration(String)
    case unexpectedReply(String)

    public var description: String {
        switch self {
        case .connectionClosed: "the Redis connection closed before the reply arrived"
        case .timeout: "Redis did not reply in time"
        case .connectionFailed(let reason): "cannot connect to Redis: \(reason)"
        case .protocolViolation(let reason): "Redis protocol error: \(reason)"
        case .invalidConfiguration(let reason): "invalid Redis configuration: \(reason)"
        case .unexpectedReply(let reason): "unexpected Redis reply: \(reason)"
        }
    }
}

/// A reply from Redis (RESP2). Bulk strings are bytes: values are binary-safe.
public enum RedisValue: Sendable, Hashable {
    case null
    case simpleString(String)
    case bulkString([UInt8])
    case integer(Int64)
    case array([RedisValue])
    /// An error nested inside an array (EXEC, FCALL results). A top-level error
    /// reply is thrown as `RedisServerError` instead.
    case error(RedisServerError)

    /// The value as UTF-8 text, for simple and bulk strings.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes): bytes
        case .simpleString(let text): Array(text.utf8)
        default: nil
        }
    }

    public var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .bulkString, .simpleString: string.flatMap { Int64($0) }
        default: nil
        }
    }

    public var array: [RedisValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

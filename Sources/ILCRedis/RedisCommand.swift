import NIOCore

/// One argument of a command: text, bytes or a number, all sent as bulk strings.
public enum RedisArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    case bytes([UInt8])
    case integer(Int64)
    case double(Double)

    public init(stringLiteral value: String) {
        self = .string(value)
    }

    public init(integerLiteral value: Int64) {
        self = .integer(value)
    }

    func write(to buffer: inout ByteBuffer) {
        switch self {
        case .string(let text):
            buffer.writeBulkString(text.utf8)
        case .bytes(let bytes):
            buffer.writeBulkString(bytes)
        case .integer(let value):
            buffer.writeBulkString(String(value).utf8)
        case .double(let value):
            // Redis parses "inf", "-inf" and decimal notation.
            let text = value.isInfinite ? (value > 0 ? "+inf" : "-inf") : "\(value)"
            buffer.writeBulkString(text.utf8)
        }
    }
}

/// A command ready to send, such as `RedisCommand("SET", "key", .bytes(value))`.
public struct RedisCommand: Sendable, Hashable {
    public var arguments: [RedisArgument]

    public init(_ name: String, _ arguments: RedisArgument...) {
        self.arguments = [.string(name)] + arguments
    }

    public init(_ name: String, arguments: [RedisArgument]) {
        self.arguments = [.string(name)] + arguments
    }

    public var name: String {
        if case .string(let name) = arguments.first { return name.uppercased() }
        return ""
    }

    /// RESP: an array of bulk strings.
    func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString("*")
        buffer.writeString(String(arguments.count))
        buffer.writeStaticString("\r\n")
        for argument in arguments {
            argument.write(to: &buffer)
        }
    }
}

extension ByteBuffer {
    fileprivate mutating func writeBulkString<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        writeStaticString("$")
        writeString(String(bytes.count))
        writeStaticString("\r\n")
        writeBytes(bytes)
        writeStaticString("\r\n")
    }
}

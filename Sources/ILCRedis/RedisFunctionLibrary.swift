/// A library of Redis functions (Redis 7), such as the queue's Lua code. Its source
/// must start with `#!lua name=<name>`.
public struct RedisFunctionLibrary: Sendable, Hashable {
    public let name: String
    public let source: String

    public init(source: String) throws(RedisError) {
        let firstLine = source.prefix(while: { $0 != "\n" })
        guard firstLine.hasPrefix("#!lua"),
              let nameField = firstLine.split(separator: " ").first(where: { $0.hasPrefix("name=") })
        else {
            throw .invalidConfiguration("a Redis function library must start with '#!lua name=<name>'")
        }
        self.name = String(nameField.dropFirst("name=".count))
        self.source = source
    }
}

extension RedisCommand {
    /// `FCALL function numkeys keys… arguments…`, for callers that send it their own way
    /// (in a pipeline, say); `call(_:in:keys:arguments:)` also loads a missing library.
    public static func functionCall(
        _ function: String, keys: [RedisArgument] = [], arguments: [RedisArgument] = []
    ) -> RedisCommand {
        RedisCommand("FCALL", arguments: [.string(function), .integer(Int64(keys.count))] + keys + arguments)
    }
}

extension RedisCommandSending {
    /// `FUNCTION LOAD REPLACE`: installs or updates the library.
    public func loadFunctions(_ library: RedisFunctionLibrary) async throws {
        let reply = try await send(RedisCommand("FUNCTION", "LOAD", "REPLACE", .string(library.source)))
        guard reply.string == library.name else {
            throw RedisError.unexpectedReply("FUNCTION LOAD answered \(reply), expected \(library.name)")
        }
    }

    /// `FCALL`, loading `library` first when Redis does not have the function (after a
    /// restart without persistence, a FLUSHALL or on a new server), then trying once more.
    public func call(
        _ function: String, in library: RedisFunctionLibrary, keys: [RedisArgument] = [], arguments: [RedisArgument] = []
    ) async throws -> RedisValue {
        let command = RedisCommand.functionCall(function, keys: keys, arguments: arguments)
        do {
            return try await send(command)
        } catch let error as RedisServerError where error.isFunctionNotFound {
            try await loadFunctions(library)
            return try await send(command)
        }
    }
}

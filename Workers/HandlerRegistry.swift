import ILCQueue

/// Every job type this worker binary can run: one handler file per type in
/// `Workers/Handlers/`.
enum HandlerRegistry {
    static let all: [any JobHandler] = [
        NoopHandler()
    ]

    /// The handlers for `types` (all when nil); an unknown type is an error naming it.
    static func handlers(for types: [String]?) throws -> [any JobHandler] {
        guard let types else { return all }
        return try types.map { type in
            guard let handler = all.first(where: { $0.type == type }) else {
                throw UnknownJobType(type: type, known: all.map(\.type))
            }
            return handler
        }
    }
}

struct UnknownJobType: Error, CustomStringConvertible {
    let type: String
    let known: [String]

    var description: String {
        "unknown job type '\(type)' (known: \(known.joined(separator: ", ")))"
    }
}

/// Bad input, naming the field it is about so callers can point at it
/// (a CLI flag, a JSON pointer in a problem+json response).
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

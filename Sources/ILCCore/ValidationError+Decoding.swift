import Foundation

extension ValidationError {
    /// A document that does not fit its type (a missing field, a wrong type, a value
    /// not in an enumeration), naming the field by JSON Pointer.
    public init(_ error: DecodingError) {
        let (path, detail): ([any CodingKey], String)
        switch error {
        case .keyNotFound(let key, let context): (path, detail) = (context.codingPath + [key], "is required")
        case .valueNotFound(_, let context): (path, detail) = (context.codingPath, "must not be null")
        case .typeMismatch(_, let context): (path, detail) = (context.codingPath, "has the wrong type")
        case .dataCorrupted(let context): (path, detail) = (context.codingPath, context.debugDescription)
        @unknown default: (path, detail) = ([], "\(error)")
        }
        let pointer = path.map { key in
            key.intValue.map(String.init) ?? key.stringValue.replacingOccurrences(of: "~", with: "~0")
                .replacingOccurrences(of: "/", with: "~1")
        }
        self.init(field: pointer.isEmpty ? "" : "/" + pointer.joined(separator: "/"), message: detail)
    }
}

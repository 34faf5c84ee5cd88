/// Failures of the storage layer that callers answer differently (404, 409, 500).
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case conflict(String)
    /// A stored value outside the vocabulary the code knows: a migration and the
    /// code disagree.
    case corrupt(String)

    public var description: String {
        switch self {
        case .notFound(let message), .conflict(let message), .corrupt(let message): message
        }
    }
}

/// What an API key may do. Mirrors the CHECK on `api_keys.scopes`.
public enum APIScope: String, CaseIterable, Sendable, Codable, Comparable {
    case read
    case surveysWrite = "surveys:write"
    case collectivesWrite = "collectives:write"
    case evidenceWrite = "evidence:write"
    case jobsWrite = "jobs:write"
    case admin

    public static func < (lhs: APIScope, rhs: APIScope) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// Parses a comma-separated list such as `read,jobs:write`. Unknown names are an
    /// error naming them, never silently dropped.
    public static func parseList(_ text: String) throws(ValidationError) -> Set<APIScope> {
        let names = text.split(separator: ",").map { $0.filter { !$0.isWhitespace } }.filter { !$0.isEmpty }
        guard !names.isEmpty else {
            throw ValidationError(field: "scopes", message: "at least one scope is required")
        }
        var scopes = Set<APIScope>()
        for name in names {
            guard let scope = APIScope(rawValue: name) else {
                let known = APIScope.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError(field: "scopes", message: "unknown scope '\(name)' (known: \(known))")
            }
            scopes.insert(scope)
        }
        return scopes
    }
}

/// Leading indicators move first and predict; lagging indicators confirm the outcome.
public enum IndicatorKind: String, CaseIterable, Sendable, Codable {
    case leading
    case lagging
}

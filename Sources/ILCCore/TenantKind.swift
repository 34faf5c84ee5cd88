/// What kind of education agency a tenant is.
public enum TenantKind: String, CaseIterable, Sendable, Codable {
    case state
    case province
    case region
    case consortium
}

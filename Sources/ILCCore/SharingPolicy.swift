/// How far a tenant lets its collectives' work travel.
public enum SharingPolicy: String, CaseIterable, Sendable, Codable {
    case none
    case withinTenant = "within_tenant"
    case network
}

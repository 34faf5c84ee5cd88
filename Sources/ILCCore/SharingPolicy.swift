/// How far a tenant lets its collectives' work travel.
public enum SharingPolicy: String, CaseIterable, Sendable, Codable {
    case none
    case withinTenant = "within_tenant"
    case network
}

extension SharingPolicy {
    /// The more restrictive of the two: a cycle cannot share further than its tenant.
    public func restricted(by other: SharingPolicy) -> SharingPolicy {
        let order: [SharingPolicy] = [.none, .withinTenant, .network]
        return order[min(order.firstIndex(of: self) ?? 0, order.firstIndex(of: other) ?? 0)]
    }
}

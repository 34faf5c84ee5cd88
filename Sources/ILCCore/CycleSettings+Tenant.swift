extension CycleSettings {
    /// What a cycle shares: never further than its tenant allows.
    public func sharing(under tenant: SharingPolicy) -> SharingPolicy {
        tenant.restricted(by: sharingPolicy)
    }

    /// Which groups a cycle hides: at least those its tenant hides.
    public func suppressionThreshold(under tenantThreshold: Int) -> Int {
        max(tenantThreshold, suppressionThreshold)
    }
}

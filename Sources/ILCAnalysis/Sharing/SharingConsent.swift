import ILCCore

/// Which collectives may learn from which, from each tenant's `sharing` setting: none
/// shares nothing (not even within the tenant); within_tenant shares among the tenant's
/// own collectives; network also shares with tenants that chose network too.
public struct SharingConsent: Sendable {
    public let policies: [String: SharingPolicy]

    public init(policies: [String: SharingPolicy]) {
        self.policies = policies
    }

    public func allows(source: String, target: String) -> Bool {
        guard let sourcePolicy = policies[source], let targetPolicy = policies[target] else { return false }
        if source == target { return sourcePolicy != .none }
        return sourcePolicy == .network && targetPolicy == .network
    }
}

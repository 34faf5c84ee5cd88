import Foundation

/// Knowledge sharing over the whole network, as an operator started it: every tenant
/// that chose `network` publishes, then every one of them matches.
public struct NetworkSharingRun: Sendable, Equatable {
    public let id: UUID
    public let tenants: Int
    public let published: Int
    /// When the last publication came in and the matching jobs were added.
    public let matchingStartedAt: Date?
    public let createdAt: Date
}

/// A job the database added for a tenant, to hand to the dispatcher.
public struct AddedJob: Sendable, Equatable {
    public let tenantID: UUID
    public let id: UUID
}

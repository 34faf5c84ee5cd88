import Foundation
import ILCCore

/// An education agency using the service, with the settings an operator manages.
public struct Tenant: Sendable, Equatable {
    public let id: UUID
    public let slug: TenantSlug
    public let name: String
    public let kind: TenantKind
    /// The name other agencies see on shared knowledge, if the tenant allows it.
    public let publicName: String?
    public let sharing: SharingPolicy
    /// Reports hide groups smaller than this.
    public let suppressionThreshold: Int
    /// Reports are deleted this many days after they are made.
    public let reportRetentionDays: Int
    /// Share of the workers against other waiting tenants.
    public let queueWeight: Int
    /// At most this many jobs running at once; nil: no cap.
    public let maxInFlight: Int?
    /// API requests per second (0: none); nil: the server's default.
    public let rateLimit: Int?
    public let createdAt: Date
    public let updatedAt: Date
}

/// What an operator changes on a tenant; nil leaves a field as it is.
public struct TenantChanges: Sendable, Equatable {
    public var name: String?
    public var publicName: String?
    public var sharing: SharingPolicy?
    public var suppressionThreshold: Int?
    public var reportRetentionDays: Int?
    public var queueWeight: Int?
    /// 0 removes the cap.
    public var maxInFlight: Int?
    public var rateLimit: RateLimitChange?

    public enum RateLimitChange: Sendable, Equatable {
        case perSecond(Int)
        case serverDefault
    }

    public init() {}
}

import Foundation
import ILCCore

/// An education agency using the service.
public struct Tenant: Sendable, Equatable {
    public let id: UUID
    public let slug: TenantSlug
    public let name: String
    public let kind: TenantKind
    public let sharing: SharingPolicy
    public let createdAt: Date
}

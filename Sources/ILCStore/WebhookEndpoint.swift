import Foundation
import ILCCore

/// Where a tenant wants its events sent. The signing secret is not part of it: it is
/// shown once, when the endpoint is made (`WebhookStore.create`).
public struct WebhookEndpoint: Sendable, Equatable {
    public let id: UUID
    public let url: String
    public let description: String?
    public let eventTypes: [WebhookEventType]
    public let enabled: Bool
    /// Why the service turned it off (the receiver answered 410 Gone), if it did.
    public let disabledReason: String?
    public let createdAt: Date
    public let updatedAt: Date
}

/// What may change on an endpoint; nil leaves a field as it is.
public struct WebhookEndpointChanges: Sendable {
    public var url: String?
    public var description: String?
    public var eventTypes: [WebhookEventType]?
    /// True turns a disabled endpoint back on and forgets why it was off.
    public var enabled: Bool?

    public init(url: String? = nil, description: String? = nil, eventTypes: [WebhookEventType]? = nil, enabled: Bool? = nil) {
        self.url = url
        self.description = description
        self.eventTypes = eventTypes
        self.enabled = enabled
    }
}

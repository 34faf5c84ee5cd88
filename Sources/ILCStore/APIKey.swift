import Foundation
import ILCCore

/// A stored API key, without its secret (only a SHA-256 of the token is stored).
public struct APIKey: Sendable, Equatable {
    /// nil for an operator key.
    public let tenantID: UUID?
    public let id: UUID
    public let name: String
    public let scopes: Set<APIScope>
    public let createdAt: Date
    public let expiresAt: Date?
    public let revokedAt: Date?
    public let lastUsedAt: Date?
}

/// A key just created, with the token text shown to its owner exactly once.
public struct IssuedAPIKey: Sendable {
    public let key: APIKey
    public let token: String
}

/// Who a verified key speaks for.
public struct APIPrincipal: Sendable, Equatable {
    public enum Subject: Sendable, Equatable {
        case tenant(UUID)
        case operatorScope
    }

    public let subject: Subject
    public let keyID: UUID
    public let scopes: Set<APIScope>
    /// The tenant's own API rate limit (requests per second, 0: none); nil: the server's default.
    public var rateLimit: Int?

    public init(subject: Subject, keyID: UUID, scopes: Set<APIScope>, rateLimit: Int? = nil) {
        self.subject = subject
        self.keyID = keyID
        self.scopes = scopes
        self.rateLimit = rateLimit
    }

    public func allows(_ scope: APIScope) -> Bool {
        scopes.contains(scope) || scopes.contains(.admin)
    }
}

/// Why a presented key was refused. The API answers all of them with the same 401;
/// the reason is for logs and tests.
public enum AuthenticationError: Error, Sendable, Equatable {
    case malformed
    case unknownKey
    case wrongSecret
    case revoked
    case expired
}

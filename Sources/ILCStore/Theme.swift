import Foundation

/// A common theme of a cycle's intake responses, as detected and then curated.
public struct Theme: Sendable, Equatable {
    public let id: UUID
    public let cycleID: UUID
    public var label: String
    /// The catalog theme it matched, if any.
    public let catalogKey: String?
    public let keywords: [String]
    /// Responses assigned to it.
    public let size: Int
    public let cohesion: Double?
    public let quotes: [Quote]
    public let approvedAt: Date?
    public let createdAt: Date
    public let updatedAt: Date

    /// A response that shows what the theme is about.
    public struct Quote: Sendable, Equatable, Codable {
        public let responseID: UUID?
        public let text: String

        public init(responseID: UUID?, text: String) {
            self.responseID = responseID
            self.text = text
        }

        enum CodingKeys: String, CodingKey {
            case responseID = "response_id"
            case text
        }
    }
}

import Foundation
import ILCCore

/// The placemat as stored: version 0 and empty until first written.
public struct Placemat: Sendable, Equatable {
    public let collectiveID: UUID
    public let version: Int
    public let content: PlacematDraft
    public let updatedAt: Date?
}

import Foundation
import ILCCore

/// One observation against a placemat indicator, in one of Bernhardt's categories.
public struct Evidence: Sendable, Equatable {
    public let id: UUID
    public let collectiveID: UUID
    public let indicatorID: UUID
    public let category: EvidenceCategory
    public let value: Double?
    /// How many people or records the value stands for.
    public let sampleSize: Int?
    /// `YYYY-MM-DD`.
    public let observedOn: String
    public let note: String
    public let source: String?
    public let createdAt: Date
}

/// An observation as recorded; a nil category takes the indicator's.
public struct EvidenceDraft: Sendable, Equatable {
    public var indicatorID: UUID
    public var category: EvidenceCategory?
    public var value: Double?
    public var sampleSize: Int?
    public var observedOn: String
    public var note: String
    public var source: String?

    public init(
        indicatorID: UUID, category: EvidenceCategory? = nil, value: Double? = nil, sampleSize: Int? = nil,
        observedOn: String, note: String = "", source: String? = nil
    ) {
        self.indicatorID = indicatorID
        self.category = category
        self.value = value
        self.sampleSize = sampleSize
        self.observedOn = observedOn
        self.note = note
        self.source = source
    }
}

/// Which evidence a listing returns; nil matches everything, dates inclusive.
public struct EvidenceFilter: Sendable, Equatable {
    public var category: EvidenceCategory?
    public var indicatorID: UUID?
    public var from: String?
    public var to: String?

    public init(category: EvidenceCategory? = nil, indicatorID: UUID? = nil, from: String? = nil, to: String? = nil) {
        self.category = category
        self.indicatorID = indicatorID
        self.from = from
        self.to = to
    }
}

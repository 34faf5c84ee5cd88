import Foundation
import ILCCore

/// What the knowledge-sharing job reads of one tenant's cycle: the tenant's choices
/// (sharing policy, public name, suppression threshold), every collective's theme,
/// placemat, indicators with their evidence values, and the names its free text must
/// lose before it is published.
public struct SharingSource: Sendable {
    public struct Observation: Sendable, Equatable, Codable {
        public let date: String
        public let value: Double
        public let sampleSize: Int?

        enum CodingKeys: String, CodingKey {
            case date, value
            case sampleSize = "sample_size"
        }
    }

    public struct Indicator: Sendable, Equatable {
        public let id: UUID
        public let name: String
        /// `increase` or `decrease`.
        public let direction: String
        public let baseline: Double?
        public let baselineOn: String?
        public let target: Double?
        public let observations: [Observation]
    }

    public struct CollectiveData: Sendable, Equatable {
        public let id: UUID
        public let name: String
        /// The theme's catalog key, else its label.
        public let themeKey: String?
        public let problemOfPractice: String
        public let theoryOfAction: String
        public let indicators: [Indicator]
        public let evidenceCategories: [String]
    }

    public enum NameKind: String, Sendable {
        case person, school, district
    }

    public let policy: SharingPolicy
    public let publicName: String?
    public let suppressionThreshold: Int
    public let collectives: [CollectiveData]
    public let names: [(name: String, kind: NameKind)]
}

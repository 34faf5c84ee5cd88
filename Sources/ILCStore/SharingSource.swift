import Foundation
import ILCCore

/// What the knowledge-sharing job reads of one tenant's cycle: the sharing policy and
/// suppression threshold that apply to it, every collective's theme, placemat,
/// indicators with their evidence values, and the pairs people already judged. (The
/// tenant-wide names and marks are read apart, once per run: `KnowledgeShareStore+Tenant`.)
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

    /// How the tenant and its people judged earlier suggestions from one source.
    public struct Marks: Sendable, Equatable {
        public var accepted: Int
        public var dismissed: Int
    }

    /// The more restrictive of the tenant's `sharing` and the cycle's `sharing_policy`.
    public let policy: SharingPolicy
    /// The larger of the tenant's and the cycle's thresholds.
    public let suppressionThreshold: Int
    public let collectives: [CollectiveData]
    /// Pairs (target, source) of this cycle someone accepted or dismissed: their
    /// share stays as it is and is not suggested again.
    public let markedPairs: [(target: UUID, source: UUID)]
}

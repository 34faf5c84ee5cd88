/// The life of a job. Mirrors the CHECK on `jobs.state`.
public enum JobState: String, CaseIterable, Sendable, Codable {
    case queued
    case running
    case succeeded
    case failed
    case canceling
    case canceled

    /// A terminal job never changes state again.
    public var isTerminal: Bool {
        switch self {
        case .succeeded, .failed, .canceled: true
        case .queued, .running, .canceling: false
        }
    }

    /// The transitions the queue may make. Anything else is a bug or a lost race.
    public func canMove(to next: JobState) -> Bool {
        switch (self, next) {
        case (.queued, .running), (.queued, .canceled), (.queued, .failed):
            true
        case (.running, .succeeded), (.running, .failed), (.running, .queued), (.running, .canceling):
            true
        case (.canceling, .canceled), (.canceling, .succeeded), (.canceling, .failed):
            true
        default:
            false
        }
    }
}

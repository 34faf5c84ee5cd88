import ILCCore

/// Which of a tenant's jobs a listing shows.
public struct JobFilter: Sendable, Equatable {
    public var state: JobState?
    public var type: String?

    public init(state: JobState? = nil, type: String? = nil) {
        self.state = state
        self.type = type
    }
}

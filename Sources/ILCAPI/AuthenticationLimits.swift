/// How many failed key checks `ilc-api` takes before it stops checking
/// (`AuthenticationThrottle`).
public struct AuthenticationLimits: Sendable, Equatable {
    /// Wrong secrets for one key within `window` before the key is locked; 0: no limit.
    public var perKey: Int
    /// Failed checks of well-formed keys from one client address within `window` before
    /// the client is turned away; 0: no limit. Generous, since a partner's whole office
    /// may share one address.
    public var perClient: Int
    public var window: Duration

    public init(perKey: Int = 10, perClient: Int = 100, window: Duration = .seconds(300)) {
        self.perKey = perKey
        self.perClient = perClient
        self.window = window
    }
}

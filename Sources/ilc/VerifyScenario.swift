/// One thing `ilc verify` breaks or abuses on purpose. `run` answers the figures for
/// the table and throws when a promise was broken.
struct VerifyScenario: Sendable {
    let kind: String
    let name: String
    let run: @Sendable (VerifyLab, VerifySettings) async throws -> String

    init(_ kind: String, _ name: String, run: @escaping @Sendable (VerifyLab, VerifySettings) async throws -> String) {
        self.kind = kind
        self.name = name
        self.run = run
    }
}

/// How hard `ilc verify` pushes.
struct VerifySettings: Sendable {
    /// CI's fast part: shorter fuzzing and load.
    var quick: Bool
    /// schemathesis, for the fuzzing scenario.
    var schemathesis: String?
}

import ILCCore

/// The scope each operation of `openapi.yaml` needs. An operation missing here is
/// refused for every key (the middleware fails closed), and a test checks the table
/// against the spec.
enum OperationScopes {
    static let required: [String: APIScope] = [
        "listCycles": .read,
        "getCycle": .read,
        "createCycle": .collectivesWrite,
        "updateCycle": .collectivesWrite,
        "startThemeDetection": .jobsWrite,
        "startGroupFormation": .jobsWrite,
        "startKnowledgeSharing": .jobsWrite,
        "startReport": .jobsWrite,
        "listJobs": .read,
        "getJob": .read,
        "cancelJob": .jobsWrite,
    ]
}

import ILCCore

/// The scope each operation of `openapi.yaml` needs. An operation missing here is
/// refused for every key (the middleware fails closed), and a test checks the table
/// against the spec.
enum OperationScopes {
    static let required: [String: APIScope] = [
        "listJobs": .read,
        "getJob": .read,
        "cancelJob": .jobsWrite,
    ]
}

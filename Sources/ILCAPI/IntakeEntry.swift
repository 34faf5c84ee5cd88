import ILCCore

/// One row of a submission as read from the body: its fields, or what made it
/// unreadable (a value of the wrong JSON type, an unknown field, a short CSV line),
/// and where it was, so a bad row is reported by index, line and field.
struct IntakeEntry: Sendable, Hashable {
    /// Position among the rows (0-based); nil for a single response sent alone.
    var index: Int?
    /// The CSV line the row starts on.
    var line: Int?
    var row: IntakeRow
    /// Problems found while reading, with fields named as pointer suffixes.
    var problems: [ValidationError]

    /// The JSON Pointer of `field` in the request body.
    func pointer(_ field: String) -> String {
        let prefix = index.map { "/\($0)" } ?? ""
        return field.isEmpty ? (prefix.isEmpty ? "" : prefix) : prefix + "/" + field
    }

    /// At most this many responses per JSON request.
    static let batchLimit = 5_000
    /// A CSV body is usually a whole export from a student information system, so it
    /// may hold more rows than a JSON batch (the body limit still applies).
    static let csvRowLimit = 50_000
}

import ILCCore

/// The words reports use for stored codes.
enum ReportWording {
    static let phases = CyclePhase.allCases.map(\.rawValue)

    /// A phase with its number: `4. Collecting evidence`.
    static func phase(_ raw: String) -> String {
        guard let phase = CyclePhase(rawValue: raw) else { return raw }
        return "\(phase.number). " + words(raw)
    }

    /// A stored code as words: `student_learning` → `Student learning`.
    static func words(_ raw: String) -> String {
        raw.replacingOccurrences(of: "_", with: " ").capitalizedFirst
    }
}

extension String {
    var capitalizedFirst: String {
        prefix(1).uppercased() + dropFirst()
    }
}

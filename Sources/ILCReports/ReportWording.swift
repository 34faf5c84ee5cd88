import ILCCore

/// The words reports use for stored codes.
enum ReportWording {
    static let phases = CyclePhase.allCases.map(\.rawValue)

    static func phase(_ raw: String) -> String {
        guard let phase = CyclePhase(rawValue: raw) else { return raw }
        return "\(phase.number). " + raw.replacingOccurrences(of: "_", with: " ").capitalizedFirst
    }

    static func category(_ raw: String) -> String {
        raw.replacingOccurrences(of: "_", with: " ").capitalizedFirst
    }

    static func role(_ raw: String) -> String {
        raw.replacingOccurrences(of: "_", with: " ").capitalizedFirst
    }
}

extension String {
    var capitalizedFirst: String {
        prefix(1).uppercased() + dropFirst()
    }
}

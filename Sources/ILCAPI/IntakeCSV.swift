import ILCCore

/// Intake rows from a `text/csv` body: a header row naming the columns (the JSON
/// field names, any order, any case), then one response per record. Lists
/// (`improvement_goals`, `theme_preferences`) are separated by `|` within their cell.
enum IntakeCSV {
    static let requiredColumns: [IntakeRow.Field] = [.externalID, .name, .role, .district, .focusStatement]

    static func entries(from bytes: [UInt8]) throws -> [IntakeEntry] {
        let table: CSVTable
        do {
            table = try CSVTable(bytes: bytes)
        } catch {
            throw APIProblem.invalid("", "CSV line \(error.line): \(error.message)")
        }
        guard let header = table.records.first else {
            throw APIProblem.invalid("", "the CSV body is empty: send a header row and at least one response")
        }
        var fields: [IntakeRow.Field?] = []
        var problems: [APIProblem.FieldError] = []
        for name in header.cells {
            let column = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard let field = IntakeRow.Field.allCases.first(where: { $0.column == column }) else {
                let known = IntakeRow.Field.allCases.map(\.column).joined(separator: ", ")
                problems.append(.init(pointer: "/header", detail: "unknown column '\(column)' (known: \(known))"))
                fields.append(nil)
                continue
            }
            if fields.contains(field) {
                problems.append(.init(pointer: "/header", detail: "column '\(column)' appears twice"))
            }
            fields.append(field)
        }
        for field in requiredColumns where !fields.contains(field) {
            problems.append(.init(pointer: "/header", detail: "the required column '\(field.column)' is missing"))
        }
        guard problems.isEmpty else { throw APIProblem.invalid(problems) }
        let records = table.records.dropFirst()
        guard !records.isEmpty else {
            throw APIProblem.invalid("", "the CSV body has a header but no responses")
        }
        guard records.count <= IntakeEntry.csvRowLimit else {
            throw APIProblem.invalid("", "at most \(IntakeEntry.csvRowLimit) CSV rows per request (this one has \(records.count))")
        }
        return records.enumerated().map { index, record in
            var entry = IntakeEntry(index: index, line: record.line, row: IntakeRow(), problems: [])
            if record.cells.count != fields.count {
                entry.problems.append(ValidationError(
                    field: "", message: "has \(record.cells.count) cells; the header has \(fields.count)"))
                return entry
            }
            for (field, cell) in zip(fields, record.cells) {
                guard let field else { continue }
                entry.row.set(field, text: cell)
            }
            return entry
        }
    }
}

extension IntakeRow {
    /// Sets a field from its text form (a CSV cell).
    mutating func set(_ field: Field, text: String) {
        switch field {
        case .externalID: externalID = text
        case .name: name = text
        case .email: email = text
        case .role: role = text
        case .district: district = text
        case .school: school = text
        case .region: region = text
        case .timeZone: timeZone = text
        case .focusStatement: focusStatement = text
        case .improvementGoals: improvementGoals = Self.listItems(text)
        case .themePreferences: themePreferences = Self.listItems(text)
        case .submittedAt: submittedAt = text
        }
    }

    static func listItems(_ text: String) -> [String] {
        text.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

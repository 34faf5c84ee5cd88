import ILCCore

/// The JSON body of `submitSurveyResponses` (schema `SurveyResponseSubmission`, this type
/// in place of the generated one by `openapi-generator-config.yaml`): one response or an
/// array of them. Rows are read leniently, each value that cannot be read becoming a
/// problem of its row, so one bad row does not cost its batch; only a body that is no
/// response or array at all fails as a whole.
struct IntakeSubmission: Codable, Hashable, Sendable {
    var entries: [IntakeEntry]

    init(entries: [IntakeEntry]) {
        self.entries = entries
    }

    init(from decoder: any Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var entries: [IntakeEntry] = []
            while !array.isAtEnd {
                guard entries.count < IntakeEntry.batchLimit else {
                    throw APIProblem.invalid("", "at most \(IntakeEntry.batchLimit) responses per request")
                }
                let row = try array.decode(LenientRow.self)
                entries.append(IntakeEntry(index: entries.count, row: row.row, problems: row.problems))
            }
            guard !entries.isEmpty else {
                throw APIProblem.invalid("", "send at least one response")
            }
            self.entries = entries
        } else {
            let row = LenientRow(from: decoder)
            guard !row.problems.contains(where: { $0.field.isEmpty }) else {
                throw APIProblem.invalid("", "must be a survey response object or an array of them")
            }
            self.entries = [IntakeEntry(index: nil, row: row.row, problems: row.problems)]
        }
    }

    func encode(to encoder: any Encoder) throws {
        var array = encoder.unkeyedContainer()
        for entry in entries {
            try array.encode(LenientRow(row: entry.row, problems: []))
        }
    }
}

/// One response object read field by field: a missing, null or mistyped value is noted
/// against its field instead of failing the decode.
struct LenientRow: Codable {
    var row = IntakeRow()
    var problems: [ValidationError] = []

    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(row: IntakeRow, problems: [ValidationError]) {
        self.row = row
        self.problems = problems
    }

    init(from decoder: any Decoder) {
        guard let container = try? decoder.container(keyedBy: Key.self) else {
            problems.append(ValidationError(field: "", message: "must be an object"))
            return
        }
        for key in container.allKeys {
            switch key.stringValue {
            case "participant":
                readParticipant(container, key)
            case IntakeRow.Field.focusStatement.column:
                row.focusStatement = text(container, key, path: key.stringValue)
            case IntakeRow.Field.submittedAt.column:
                row.submittedAt = text(container, key, path: key.stringValue)
            case IntakeRow.Field.improvementGoals.column:
                row.improvementGoals = list(container, key)
            case IntakeRow.Field.themePreferences.column:
                row.themePreferences = list(container, key)
            default:
                problems.append(ValidationError(field: key.stringValue, message: "is not a field of a survey response"))
            }
        }
    }

    private mutating func readParticipant(_ container: KeyedDecodingContainer<Key>, _ key: Key) {
        guard let participant = try? container.nestedContainer(keyedBy: Key.self, forKey: key) else {
            problems.append(ValidationError(field: "participant", message: "must be an object"))
            return
        }
        for field in participant.allKeys {
            let path = "participant/" + field.stringValue
            guard let known = IntakeRow.Field(rawValue: path) else {
                problems.append(ValidationError(field: path, message: "is not a field of a participant"))
                continue
            }
            if let value = text(participant, field, path: path) { row.set(known, text: value) }
        }
    }

    private mutating func text(_ container: KeyedDecodingContainer<Key>, _ key: Key, path: String) -> String? {
        if (try? container.decodeNil(forKey: key)) == true {
            problems.append(ValidationError(field: path, message: "must not be null: leave the field out instead"))
        } else if let value = try? container.decode(String.self, forKey: key) {
            // In JSON an empty value is a mistake (a CSV cell may be empty: that is "not given").
            guard !value.allSatisfy(\.isWhitespace) else {
                problems.append(ValidationError(field: path, message: "must not be empty: leave the field out instead"))
                return nil
            }
            return value
        } else {
            problems.append(ValidationError(field: path, message: "must be a string"))
        }
        return nil
    }

    private mutating func list(_ container: KeyedDecodingContainer<Key>, _ key: Key) -> [String]? {
        if (try? container.decodeNil(forKey: key)) == true {
            problems.append(ValidationError(field: key.stringValue, message: "must not be null: leave the field out instead"))
            return nil
        }
        if let values = try? container.decode([String].self, forKey: key) {
            for (index, value) in values.enumerated() where value.allSatisfy(\.isWhitespace) {
                problems.append(ValidationError(field: "\(key.stringValue)/\(index)", message: "must not be empty"))
            }
            return values
        }
        problems.append(ValidationError(field: key.stringValue, message: "must be an array of strings"))
        return nil
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        var participant = container.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: "participant"))
        let participantValues: [(IntakeRow.Field, String?)] = [
            (.externalID, row.externalID), (.name, row.name), (.email, row.email), (.role, row.role),
            (.district, row.district), (.school, row.school), (.region, row.region), (.timeZone, row.timeZone),
        ]
        for (field, value) in participantValues {
            try participant.encodeIfPresent(value, forKey: Key(stringValue: field.column))
        }
        try container.encodeIfPresent(row.focusStatement, forKey: Key(stringValue: IntakeRow.Field.focusStatement.column))
        try container.encodeIfPresent(row.improvementGoals, forKey: Key(stringValue: IntakeRow.Field.improvementGoals.column))
        try container.encodeIfPresent(row.themePreferences, forKey: Key(stringValue: IntakeRow.Field.themePreferences.column))
        try container.encodeIfPresent(row.submittedAt, forKey: Key(stringValue: IntakeRow.Field.submittedAt.column))
    }
}

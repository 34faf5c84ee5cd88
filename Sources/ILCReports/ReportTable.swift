/// A table of a report. Cells that count people (`count`) or aggregate over people
/// (`number` with a sample size) are what suppression looks at.
public struct ReportTable: Sendable, Equatable, Encodable {
    public struct Column: Sendable, Equatable, Encodable {
        public var key: String
        public var label: String
        public var numeric: Bool

        public init(_ key: String, _ label: String, numeric: Bool = false) {
            self.key = key
            self.label = label
            self.numeric = numeric
        }
    }

    /// Which cells add up to which: each row's `members` columns sum to its
    /// `totalColumn`, each such column's rows (all but `totalRow`) to `totalRow`. A
    /// reader could subtract along these lines, so suppression protects them.
    public struct Margins: Sendable, Equatable {
        public var members: [Int]
        public var totalColumn: Int?
        public var totalRow: Int?

        public init(members: [Int], totalColumn: Int? = nil, totalRow: Int? = nil) {
            self.members = members
            self.totalColumn = totalColumn
            self.totalRow = totalRow
        }
    }

    /// Unique within its section; the CSV's `table` column.
    public var id: String
    public var caption: String
    public var columns: [Column]
    public var rows: [[ReportCell]]
    public var margins: Margins?

    public init(id: String, caption: String, columns: [Column], rows: [[ReportCell]], margins: Margins? = nil) {
        self.id = id
        self.caption = caption
        self.columns = columns
        self.rows = rows
        self.margins = margins
    }

    enum CodingKeys: String, CodingKey {
        case id, caption, columns, rows
    }
}

public enum ReportCell: Sendable, Equatable, Encodable {
    case text(String)
    /// How many people: its own sample size.
    case count(Int)
    /// A value about `sampleSize` people (nil: not about people, never hidden).
    case number(Double, sampleSize: Int?)
    /// Hidden: a group smaller than the threshold, or a cell that would give one away.
    case suppressed
    case missing

    /// The value the cell shows, if it is a number (hidden cells have none).
    public var numericValue: Double? {
        switch self {
        case .count(let count): Double(count)
        case .number(let value, _): value
        default: nil
        }
    }

    public var isSuppressed: Bool { self == .suppressed }

    /// The cell as plain text: a row's name in the CSV, a point's label in a chart.
    public var plainText: String {
        switch self {
        case .text(let text): text
        case .count(let count): String(count)
        case .number(let value, _): ReportNumber.format(value)
        case .suppressed: "suppressed"
        case .missing: ""
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .count(let count): try container.encode(count)
        case .number(let value, let sampleSize):
            try container.encode(NumberJSON(value: value, n: sampleSize))
        case .suppressed: try container.encode(["suppressed": true])
        case .missing: try container.encodeNil()
        }
    }

    private struct NumberJSON: Encodable {
        let value: Double
        let n: Int?
    }
}

/// An RFC 4180 CSV document read into records, each with the line it starts on
/// (quoted cells may span lines). Quotes are only special at the start of a cell, as
/// spreadsheet programs write them.
public struct CSVTable: Sendable {
    public struct Record: Sendable {
        public let line: Int
        public let cells: [String]
    }

    public struct ReadError: Error, Equatable {
        public let line: Int
        public let message: String
    }

    public let records: [Record]

    /// Blank lines are skipped; a UTF-8 byte order mark is ignored.
    public init(bytes: [UInt8]) throws(ReadError) {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else {
            throw ReadError(line: 1, message: "the body is not UTF-8 text")
        }
        var records: [Record] = []
        var cells: [String] = []
        var cell = ""
        var line = 1
        var recordLine = 1
        var quoted = false
        var cellStarted = false
        var afterQuote = false
        var characters = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func endRecord() {
            cells.append(cell)
            if !(cells.count == 1 && cells[0].isEmpty) {
                records.append(Record(line: recordLine, cells: cells))
            }
            cells = []
            cell = ""
            cellStarted = false
            afterQuote = false
        }

        while let scalar = pending ?? characters.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    if let next = characters.next() {
                        if next == "\"" {
                            cell.unicodeScalars.append("\"")
                        } else {
                            quoted = false
                            afterQuote = true
                            pending = next
                        }
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    cell.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                cells.append(cell)
                cell = ""
                cellStarted = false
                afterQuote = false
            case "\r":
                // CRLF or a lone CR both end the line.
                if let next = characters.next(), next != "\n" { pending = next }
                endRecord()
                line += 1
                recordLine = line
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            case "\"" where !cellStarted:
                quoted = true
                cellStarted = true
            default:
                if afterQuote {
                    throw ReadError(line: line, message: "a quoted cell must end at a comma or the end of the line")
                }
                cellStarted = true
                cell.unicodeScalars.append(scalar)
            }
        }
        if quoted {
            throw ReadError(line: recordLine, message: "a quoted cell is not closed")
        }
        endRecord()
        self.records = records
    }
}

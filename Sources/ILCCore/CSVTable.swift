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
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard String(validating: bytes[index...], as: UTF8.self) != nil else {
            throw ReadError(line: 1, message: "the body is not UTF-8 text")
        }
        // Bytes, not characters: the four that matter are ASCII, which UTF-8 never
        // uses inside a multi-byte character, and a cell is decoded once, when it ends.
        let (comma, quote, carriageReturn, newline): (UInt8, UInt8, UInt8, UInt8) = (0x2C, 0x22, 0x0D, 0x0A)
        var records: [Record] = []
        var cells: [String] = []
        var cell: [UInt8] = []
        var line = 1
        var recordLine = 1
        var quoted = false
        var cellStarted = false
        var afterQuote = false

        func endCell() {
            cells.append(String(decoding: cell, as: UTF8.self))
            cell.removeAll(keepingCapacity: true)
            cellStarted = false
            afterQuote = false
        }

        func endRecord() {
            endCell()
            if !(cells.count == 1 && cells[0].isEmpty) {
                records.append(Record(line: recordLine, cells: cells))
            }
            cells = []
        }

        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == quote {
                    if index < bytes.count, bytes[index] == quote {
                        cell.append(quote)
                        index += 1
                    } else {
                        // The byte after the closing quote is read again, outside the quotes.
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if byte == newline { line += 1 }
                    cell.append(byte)
                }
                continue
            }
            switch byte {
            case comma:
                endCell()
            case carriageReturn:
                // CRLF or a lone CR both end the line.
                if index < bytes.count, bytes[index] == newline { index += 1 }
                endRecord()
                line += 1
                recordLine = line
            case newline:
                endRecord()
                line += 1
                recordLine = line
            case quote where !cellStarted:
                quoted = true
                cellStarted = true
            default:
                if afterQuote {
                    throw ReadError(line: line, message: "a quoted cell must end at a comma or the end of the line")
                }
                cellStarted = true
                cell.append(byte)
            }
        }
        if quoted {
            throw ReadError(line: recordLine, message: "a quoted cell is not closed")
        }
        endRecord()
        self.records = records
    }
}

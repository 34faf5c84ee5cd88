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
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard String(validating: bytes[start...], as: UTF8.self) != nil else {
            throw ReadError(line: 1, message: "the body is not UTF-8 text")
        }
        records = try bytes.withUnsafeBufferPointer { buffer throws(ReadError) in
            try Self.records(in: buffer, from: start)
        }
    }

    // Bytes, not characters: the four that matter are ASCII, which UTF-8 never uses
    // inside a multi-byte character. A cell becomes a string straight from the bytes
    // between its delimiters; only a cell with doubled quotes is copied first.
    private static let (comma, quote, carriageReturn, newline): (UInt8, UInt8, UInt8, UInt8) = (0x2C, 0x22, 0x0D, 0x0A)

    private static func records(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) throws(ReadError) -> [Record] {
        var records: [Record] = []
        var cells: [String] = []
        var index = start
        var line = 1
        var recordLine = 1
        while true {
            if index < buffer.count, buffer[index] == quote {
                cells.append(try quotedCell(in: buffer, at: &index, line: &line, recordLine: recordLine))
            } else {
                let cellStart = index
                while index < buffer.count, !isDelimiter(buffer[index]) { index += 1 }
                cells.append(string(buffer, cellStart..<index))
            }
            let delimiter: UInt8? = index < buffer.count ? buffer[index] : nil
            index += 1
            if delimiter == comma { continue }
            if !(cells.count == 1 && cells[0].isEmpty) {
                records.append(Record(line: recordLine, cells: cells))
            }
            cells = []
            guard let delimiter else { return records }
            // CRLF or a lone CR both end the line.
            if delimiter == carriageReturn, index < buffer.count, buffer[index] == newline { index += 1 }
            line += 1
            recordLine = line
        }
    }

    /// The quoted cell opening at `index`, which it leaves on the byte after the
    /// closing quote (a delimiter or the end, else the cell is malformed).
    private static func quotedCell(
        in buffer: UnsafeBufferPointer<UInt8>, at index: inout Int, line: inout Int, recordLine: Int
    ) throws(ReadError) -> String {
        index += 1
        var segmentStart = index
        // Filled only once a doubled quote turns up.
        var unescaped: [UInt8] = []
        var hasDoubledQuotes = false
        while true {
            guard index < buffer.count else { throw ReadError(line: recordLine, message: "a quoted cell is not closed") }
            let byte = buffer[index]
            if byte == quote {
                guard index + 1 < buffer.count, buffer[index + 1] == quote else { break }
                // A doubled quote stands for one: keep the text so far and one quote.
                unescaped.append(contentsOf: buffer[segmentStart...index])
                hasDoubledQuotes = true
                index += 2
                segmentStart = index
                continue
            }
            if byte == newline { line += 1 }
            index += 1
        }
        let cell: String
        if hasDoubledQuotes {
            unescaped.append(contentsOf: buffer[segmentStart..<index])
            cell = String(decoding: unescaped, as: UTF8.self)
        } else {
            cell = string(buffer, segmentStart..<index)
        }
        index += 1
        guard index >= buffer.count || isDelimiter(buffer[index]) else {
            throw ReadError(line: line, message: "a quoted cell must end at a comma or the end of the line")
        }
        return cell
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        byte == comma || byte == newline || byte == carriageReturn
    }

    private static func string(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }
}

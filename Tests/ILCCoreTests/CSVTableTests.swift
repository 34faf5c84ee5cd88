import Testing

@testable import ILCCore

@Suite struct CSVTableTests {
    private func read(_ text: String) throws -> [CSVTable.Record] {
        try CSVTable(bytes: Array(text.utf8)).records
    }

    @Test func quotedCellsKeepCommasQuotesAndLineBreaks() throws {
        let records = try read("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\n")
        #expect(records.map(\.cells) == [["a", "b"], ["x, y", "say \"hi\""], ["two\nlines", "z"]])
        #expect(records.map(\.line) == [1, 2, 3])
    }

    @Test func lineEndingsBlankLinesAndAByteOrderMark() throws {
        let records = try read("\u{FEFF}a,b\r\n\r\n1,2\r3,4\n\n5,\n")
        #expect(records.map(\.cells) == [["a", "b"], ["1", "2"], ["3", "4"], ["5", ""]])
        #expect(records.map(\.line) == [1, 3, 4, 6])
        #expect(try read("a,b").map(\.cells) == [["a", "b"]])
    }

    @Test func brokenQuotingIsAnErrorWithItsLine() throws {
        #expect(throws: CSVTable.ReadError(line: 2, message: "a quoted cell is not closed")) {
            try read("a,b\n\"open,b\nmore\n")
        }
        #expect(throws: CSVTable.ReadError(line: 1, message: "a quoted cell must end at a comma or the end of the line")) {
            try read("\"a\"b,c\n")
        }
        #expect(throws: CSVTable.ReadError.self) { try CSVTable(bytes: [0x61, 0xC3]) }
    }

    @Test func quotesOnlyOpenACellAndDoubledQuotesAnywhereInOne() throws {
        let records = try read("\"\"\"\",\"a\"\"\",\"\"\"b\"\n x\"y,\"\"\n\"\"\n\"\"\"\"\"\"\n")
        #expect(records.map(\.cells) == [["\"", "a\"", "\"b"], [" x\"y", ""], ["\"\""]])
        #expect(records.map(\.line) == [1, 2, 4])
        #expect(throws: CSVTable.ReadError(line: 3, message: "a quoted cell must end at a comma or the end of the line")) {
            try read("a\n\"two\nlines\"x\n")
        }
        #expect(throws: CSVTable.ReadError(line: 1, message: "a quoted cell is not closed")) { try read("\"a\"\"") }
        #expect(try read("").isEmpty)
        #expect(try read("é,\"ü\"").map(\.cells) == [["é", "ü"]])
    }
}

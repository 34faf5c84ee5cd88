import Foundation
import ILCAnalysis
import ILCCore

/// The answers of an `ilc themes` input file.
struct ThemeInputFile {
    let path: String
    let textColumn: String
    let idColumn: String

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    func read() throws -> [ThemeInput] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem(description: "cannot read \(path)") }
        return path.lowercased().hasSuffix(".csv") ? try csv(data) : try jsonLines(data)
    }

    private func csv(_ data: Data) throws -> [ThemeInput] {
        let table: CSVTable
        do {
            table = try CSVTable(bytes: Array(data))
        } catch {
            throw Problem(description: "\(path) line \(error.line): \(error.message)")
        }
        guard let header = table.records.first?.cells else { return [] }
        guard let textIndex = header.firstIndex(of: textColumn) else {
            throw Problem(description: "\(path) has no column '\(textColumn)' (columns: \(header.joined(separator: ", ")))")
        }
        let idIndex = header.firstIndex(of: idColumn)
        return table.records.dropFirst().map { record in
            let id = idIndex.flatMap { record.cells.indices.contains($0) ? record.cells[$0] : nil } ?? String(record.line)
            return ThemeInput(id: id, text: record.cells.indices.contains(textIndex) ? record.cells[textIndex] : "")
        }
    }

    private func jsonLines(_ data: Data) throws -> [ThemeInput] {
        var inputs: [ThemeInput] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.allSatisfy({ $0 == 32 || $0 == 13 }) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw Problem(description: "\(path) line \(index + 1) is not a JSON object")
            }
            guard let text = object[textColumn] as? String else {
                throw Problem(description: "\(path) line \(index + 1) has no text field '\(textColumn)'")
            }
            let id = object[idColumn].map { "\($0)" } ?? String(index + 1)
            inputs.append(ThemeInput(id: id, text: text))
        }
        return inputs
    }
}

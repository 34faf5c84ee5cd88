import Crypto
import Foundation

/// One numbered SQL file from `Schema/`, such as `0001_domain_model.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String
    /// SHA-256 of the file's bytes, hex: an applied migration's file must never change.
    public let checksum: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads every `NNNN_name.sql` in `directory`, ordered by number. Two files with
    /// one number, or a `.sql` file that breaks the naming rule, are errors.
    public static func load(from directory: URL) throws(MigrationError) -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .unreadable(directory.path, "\(error.localizedDescription)")
        }
        var migrations: [Migration] = []
        for fileName in names.sorted() where fileName.hasSuffix(".sql") {
            let stem = fileName.dropLast(4)
            let parts = stem.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]), version > 0 else {
                throw .badFileName(fileName)
            }
            let url = directory.appendingPathComponent(fileName)
            guard let data = FileManager.default.contents(atPath: url.path),
                  let sql = String(data: data, encoding: .utf8)
            else {
                throw .unreadable(url.path, "not readable as UTF-8")
            }
            if let existing = migrations.first(where: { $0.version == version }) {
                throw .duplicateVersion(version, existing.name, String(parts[1]))
            }
            migrations.append(Migration(version: version, name: String(parts[1]), sql: sql))
        }
        return migrations
    }
}

public enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String, String)
    case badFileName(String)
    case duplicateVersion(Int, String, String)
    case changedAfterApply(version: Int, name: String)
    case missingFile(version: Int, name: String)
    case failed(version: Int, name: String, statement: Int, message: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read migrations at \(path): \(reason)"
        case .badFileName(let name):
            "migration file '\(name)' must be named NNNN_description.sql"
        case .duplicateVersion(let version, let first, let second):
            "two migrations share number \(version): \(first) and \(second)"
        case .changedAfterApply(let version, let name):
            "migration \(version) (\(name)) was changed after it was applied; add a new migration instead of editing it"
        case .missingFile(let version, let name):
            "migration \(version) (\(name)) is applied in the database but its file is gone"
        case .failed(let version, let name, let statement, let message):
            "migration \(version) (\(name)) failed at statement \(statement): \(message)"
        }
    }
}

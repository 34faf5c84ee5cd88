/// Splits a migration file into single statements. PostgreSQL's extended protocol
/// (the only one PostgresNIO speaks) takes one statement per message, so the
/// migrator sends them one by one inside the migration's transaction.
///
/// Understands what can hide a `;`: quoted strings ('…', E'…'), quoted identifiers
/// ("…"), dollar-quoted bodies ($$…$$, $tag$…$tag$), line comments and nested
/// block comments.
public enum SQLScript {
    public static func statements(in script: String) -> [String] {
        let characters = Array(script.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0

        func flush() {
            let text = String(current).trimmingSQLWhitespace()
            if !text.isEmpty && !text.isOnlyComments() {
                statements.append(text)
            }
            current = String.UnicodeScalarView()
        }

        func copy(until end: Int) {
            current.append(contentsOf: characters[index..<min(end, characters.count)])
            index = min(end, characters.count)
        }

        while index < characters.count {
            let character = characters[index]
            let next: Unicode.Scalar? = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "'":
                let escapes = index > 0 && (characters[index - 1] == "E" || characters[index - 1] == "e")
                copy(until: endOfQuoted(characters, from: index, quote: "'", backslashEscapes: escapes))
            case "\"":
                copy(until: endOfQuoted(characters, from: index, quote: "\"", backslashEscapes: false))
            case "-" where next == "-":
                var end = index
                while end < characters.count && characters[end] != "\n" { end += 1 }
                copy(until: end)
            case "/" where next == "*":
                copy(until: endOfBlockComment(characters, from: index))
            case "$":
                if let tagEnd = dollarTagEnd(characters, from: index) {
                    let tag = Array(characters[index...tagEnd])
                    copy(until: endOfDollarQuote(characters, bodyStart: tagEnd + 1, tag: tag))
                } else {
                    copy(until: index + 1)
                }
            case ";":
                index += 1
                flush()
            default:
                copy(until: index + 1)
            }
        }
        flush()
        return statements
    }

    private static func endOfQuoted(_ characters: [Unicode.Scalar], from start: Int, quote: Unicode.Scalar, backslashEscapes: Bool) -> Int {
        var index = start + 1
        while index < characters.count {
            let character = characters[index]
            if backslashEscapes && character == "\\" {
                index += 2
                continue
            }
            if character == quote {
                // A doubled quote is an escaped quote, not the end.
                if index + 1 < characters.count && characters[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return characters.count
    }

    private static func endOfBlockComment(_ characters: [Unicode.Scalar], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < characters.count {
            if characters[index] == "/" && index + 1 < characters.count && characters[index + 1] == "*" {
                depth += 1
                index += 2
            } else if characters[index] == "*" && index + 1 < characters.count && characters[index + 1] == "/" {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return characters.count
    }

    /// The index of the closing `$` of a dollar-quote tag starting at `start`, if it is one.
    /// `$1` (a parameter) is not a tag: tags cannot start with a digit.
    private static func dollarTagEnd(_ characters: [Unicode.Scalar], from start: Int) -> Int? {
        if start > 0 {
            let previous = characters[start - 1]
            if previous.properties.isAlphabetic || previous == "_" || ("0"..."9").contains(previous) { return nil }
        }
        var index = start + 1
        while index < characters.count {
            let character = characters[index]
            if character == "$" { return index }
            let isTagCharacter = character.properties.isAlphabetic || character == "_"
                || (index > start + 1 && ("0"..."9").contains(character))
            guard isTagCharacter else { return nil }
            index += 1
        }
        return nil
    }

    private static func endOfDollarQuote(_ characters: [Unicode.Scalar], bodyStart: Int, tag: [Unicode.Scalar]) -> Int {
        var index = bodyStart
        while index + tag.count <= characters.count {
            if characters[index] == "$" && Array(characters[index..<(index + tag.count)]) == tag {
                return index + tag.count
            }
            index += 1
        }
        return characters.count
    }
}

extension String {
    fileprivate func trimmingSQLWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// True when every line is a `--` comment: such a trailing chunk is no statement.
    fileprivate func isOnlyComments() -> Bool {
        split(separator: "\n").allSatisfy { line in
            let trimmed = String(line).trimmingSQLWhitespace()
            return trimmed.isEmpty || trimmed.hasPrefix("--")
        }
    }
}

/// Takes names out of free text before it crosses to another tenant: every known
/// person, school and district name (whole words, any case, longest first) becomes a
/// placeholder, and so does anything shaped like an email address.
public struct TextAnonymizer: Sendable {
    public enum Kind: String, Sendable {
        case person, school, district
    }

    /// Lower-cased names as word lists, keyed by their first word.
    private let names: [String: [(words: [String], kind: Kind)]]

    public init(names: [(String, Kind)]) {
        var byFirst: [String: [(words: [String], kind: Kind)]] = [:]
        for (name, kind) in names {
            let words = Self.words(of: name).map(\.text)
            guard let first = words.first else { continue }
            byFirst[first, default: []].append((words, kind))
        }
        for key in byFirst.keys { byFirst[key]?.sort { $0.words.count > $1.words.count } }
        self.names = byFirst
    }

    public func anonymize(_ text: String) -> String {
        let words = Self.words(of: text)
        var output = ""
        var cursor = text.startIndex
        var position = 0
        while position < words.count {
            let word = words[position]
            var replacement: (count: Int, placeholder: String)?
            if word.text.contains("@") {
                replacement = (1, "[email]")
            } else if let candidates = names[word.text] {
                for candidate in candidates where position + candidate.words.count <= words.count {
                    let span = words[position..<(position + candidate.words.count)].map(\.text)
                    if span == candidate.words {
                        replacement = (candidate.words.count, "[\(candidate.kind.rawValue)]")
                        break
                    }
                }
            }
            if let replacement {
                output += text[cursor..<word.range.lowerBound]
                output += replacement.placeholder
                cursor = words[position + replacement.count - 1].range.upperBound
                position += replacement.count
            } else {
                position += 1
            }
        }
        output += text[cursor...]
        return output
    }

    /// Words (letters, digits, and ' ’ - . @ _ inside a word; a possessive 's left out)
    /// with where they stand.
    private static func words(of text: String) -> [(text: String, range: Range<String.Index>)] {
        var words: [(text: String, range: Range<String.Index>)] = []
        var start: String.Index?
        var index = text.startIndex
        func close(at end: String.Index) {
            guard let begin = start else { return }
            // Trailing joiners belong to the sentence, not the word ("Lincoln.").
            var last = end
            while last > begin, let previous = text.index(last, offsetBy: -1, limitedBy: begin),
                  "'’-.@_".contains(text[previous]) {
                last = previous
            }
            // A possessive's name is the name ("Rivera's" → "Rivera" + "'s").
            let word = text[begin..<last]
            if word.count > 2, word.hasSuffix("'s") || word.hasSuffix("’s") {
                last = text.index(last, offsetBy: -2)
            }
            if last > begin { words.append((text[begin..<last].lowercased(), begin..<last)) }
            start = nil
        }
        while index < text.endIndex {
            let character = text[index]
            if character.isLetter || character.isNumber {
                if start == nil { start = index }
            } else if !(start != nil && "'’-.@_".contains(character)) {
                close(at: index)
            }
            index = text.index(after: index)
        }
        close(at: text.endIndex)
        return words
    }
}

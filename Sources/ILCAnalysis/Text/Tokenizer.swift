import Foundation

/// Splits text into lower-case word tokens, Unicode-aware: letters and digits of any
/// script form words, with the combining marks that follow them; an apostrophe
/// (straight or curly) inside a word stays (`don't`, `educator's`); everything else,
/// hyphens included, separates.
public struct Tokenizer: Sendable {
    /// Shorter tokens are dropped (single letters carry no theme); digits always count.
    public var minimumLength: Int

    public init(minimumLength: Int = 2) {
        self.minimumLength = minimumLength
    }

    public func tokens(_ text: String) -> [String] {
        // Most answers are plain ASCII: bytes are much cheaper than Unicode properties.
        Self.isASCII(text) ? asciiTokens(text) : unicodeTokens(text)
    }

    /// Calls `body` with each token of `text` as lower-case UTF-8 bytes that are valid
    /// only during the call: a corpus can look its words up without making a string per
    /// occurrence (ASCII text makes none at all).
    func forEachToken(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard !Self.isASCII(text) else { return forEachASCIIToken(in: text, body) }
        for var token in unicodeTokens(text) { token.withUTF8(body) }
    }

    private static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    private func unicodeTokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        var hasMarks = false
        func finish() {
            // Apostrophes only inside a word: quotes around it are punctuation.
            while current.last == "'" { current.removeLast() }
            // Precomposed, so the stemmer sees "é" as one letter however it was typed.
            let token = hasMarks ? String(current).precomposedStringWithCanonicalMapping : String(current)
            hasMarks = false
            if token.count >= minimumLength || (!token.isEmpty && token.unicodeScalars.allSatisfy(Self.isDigit)) {
                tokens.append(token)
            }
            current = String.UnicodeScalarView()
        }
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || Self.isDigit(scalar) {
                current.append(scalar)
            } else if !current.isEmpty && Self.isCombiningMark(scalar) {
                // Decomposed text spells "é" as "e" and a combining accent: still one word.
                current.append(scalar)
                hasMarks = true
            } else if Self.apostrophes.contains(scalar) {
                if !current.isEmpty { current.append("'") }
            } else if !current.isEmpty {
                finish()
            }
        }
        if !current.isEmpty { finish() }
        return tokens
    }

    static let apostrophes: Set<Unicode.Scalar> = ["'", "\u{2019}", "\u{2018}", "\u{02BC}"]

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.numericType == .decimal
    }

    static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    /// `tokens` for ASCII text, byte by byte, with the same rules.
    private func asciiTokens(_ text: String) -> [String] {
        var tokens: [String] = []
        forEachASCIIToken(in: text) { tokens.append(String(decoding: $0, as: UTF8.self)) }
        return tokens
    }

    /// `forEachToken` for ASCII text.
    private func forEachASCIIToken(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, bytes.count)) { current in
                var length = 0
                for byte in bytes {
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                        current[length] = byte
                        length += 1
                    case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                        current[length] = byte | 0x20
                        length += 1
                    case UInt8(ascii: "'"):
                        if length > 0 {
                            current[length] = byte
                            length += 1
                        }
                    default:
                        let kept = keptLength(of: current, length: length)
                        if kept > 0 { body(UnsafeBufferPointer(rebasing: current[0..<kept])) }
                        length = 0
                    }
                }
                let kept = keptLength(of: current, length: length)
                if kept > 0 { body(UnsafeBufferPointer(rebasing: current[0..<kept])) }
            }
        }
    }

    /// The length of the token in `current[0..<length]` once trailing apostrophes go,
    /// or 0 when it is too short to keep (digits always count).
    private func keptLength(of current: UnsafeMutableBufferPointer<UInt8>, length: Int) -> Int {
        var kept = length
        while kept > 0, current[kept - 1] == UInt8(ascii: "'") { kept -= 1 }
        guard kept > 0 else { return 0 }
        if kept >= minimumLength { return kept }
        return (0..<kept).allSatisfy { (48...57).contains(current[$0]) } ? kept : 0
    }
}

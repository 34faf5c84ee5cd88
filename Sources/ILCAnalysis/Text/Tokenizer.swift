/// Splits text into lower-case word tokens, Unicode-aware: letters and digits of any
/// script form words; an apostrophe (straight or curly) inside a word stays (`don't`,
/// `educator's`); everything else, hyphens included, separates.
public struct Tokenizer: Sendable {
    /// Shorter tokens are dropped (single letters carry no theme); digits always count.
    public var minimumLength: Int

    public init(minimumLength: Int = 2) {
        self.minimumLength = minimumLength
    }

    public func tokens(_ text: String) -> [String] {
        // Most answers are plain ASCII: bytes are much cheaper than Unicode properties.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiTokens(text) }
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        func finish() {
            // Apostrophes only inside a word: quotes around it are punctuation.
            while current.last == "'" { current.removeLast() }
            let token = String(current)
            if token.count >= minimumLength || (!token.isEmpty && token.unicodeScalars.allSatisfy(Self.isDigit)) {
                tokens.append(token)
            }
            current = String.UnicodeScalarView()
        }
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || Self.isDigit(scalar) {
                current.append(scalar)
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

    /// `tokens` for ASCII text, byte by byte, with the same rules.
    func asciiTokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(24)
        func finish() {
            while current.last == UInt8(ascii: "'") { current.removeLast() }
            if current.count >= minimumLength || (!current.isEmpty && current.allSatisfy { (48...57).contains($0) }) {
                tokens.append(String(decoding: current, as: UTF8.self))
            }
            current.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                current.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                current.append(byte | 0x20)
            case UInt8(ascii: "'"):
                if !current.isEmpty { current.append(byte) }
            default:
                if !current.isEmpty { finish() }
            }
        }
        if !current.isEmpty { finish() }
        return tokens
    }
}

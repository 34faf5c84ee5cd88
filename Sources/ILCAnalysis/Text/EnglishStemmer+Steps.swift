extension EnglishStemmer {
    /// The word being stemmed with its regions; each step works on its end.
    struct Stem {
        var letters: [Unicode.Scalar]
        let r1: Int
        let r2: Int

        var count: Int { letters.count }

        func ends(with suffix: String) -> Bool {
            let tail = suffix.unicodeScalars
            guard tail.count <= letters.count else { return false }
            return letters[(letters.count - tail.count)...].elementsEqual(tail)
        }

        /// The longest of `suffixes` the word ends with.
        func longest(of suffixes: [String]) -> String? {
            suffixes.filter(ends(with:)).max { $0.unicodeScalars.count < $1.unicodeScalars.count }
        }

        func start(of suffix: String) -> Int { letters.count - suffix.unicodeScalars.count }

        mutating func replace(_ suffix: String, with replacement: String) {
            letters.removeLast(suffix.unicodeScalars.count)
            letters.append(contentsOf: replacement.unicodeScalars)
        }

        /// A short syllable ends `letters[..<end]`: consonant (not w, x or Y), vowel,
        /// consonant; or a vowel at the start followed by a consonant.
        func endsInShortSyllable(before end: Int) -> Bool {
            guard end >= 2, !isVowel(letters[end - 1]), isVowel(letters[end - 2]) else { return false }
            if end == 2 { return true }
            return !["w", "x", "Y"].contains(letters[end - 1]) && !isVowel(letters[end - 3])
        }

        func hasVowel(before end: Int) -> Bool {
            letters[..<end].contains(where: isVowel)
        }

        mutating func step1a() {
            if let apostrophe = longest(of: ["'", "'s", "'s'"]) { replace(apostrophe, with: "") }
            guard let suffix = longest(of: ["sses", "ied", "ies", "s", "us", "ss"]) else { return }
            switch suffix {
            case "sses":
                replace(suffix, with: "ss")
            case "ied", "ies":
                replace(suffix, with: start(of: suffix) >= 2 ? "i" : "ie")
            case "s":
                // A vowel somewhere before the letter that precedes the s.
                if count >= 2, hasVowel(before: count - 2) { replace(suffix, with: "") }
            default:
                break
            }
        }

        mutating func step1b() {
            guard let suffix = longest(of: ["eed", "eedly", "ed", "edly", "ing", "ingly"]) else { return }
            if suffix == "eed" || suffix == "eedly" {
                if start(of: suffix) >= r1 { replace(suffix, with: "ee") }
                return
            }
            guard hasVowel(before: start(of: suffix)) else { return }
            replace(suffix, with: "")
            if longest(of: ["at", "bl", "iz"]) != nil {
                letters.append("e")
            } else if let double = longest(of: ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"]) {
                // Not after a single a, e or o that begins the word (add, ebb, odd stay).
                let beginsWithAEO = count == 3 && ["a", "e", "o"].contains(letters[0])
                if !beginsWithAEO { replace(double, with: String(double.prefix(1))) }
            } else if r1 >= count, endsInShortSyllable(before: count) {
                letters.append("e")
            }
        }

        mutating func step1c() {
            guard count >= 3, let last = letters.last, last == "y" || last == "Y", !isVowel(letters[count - 2]) else { return }
            letters[count - 1] = "i"
        }

        static let step2Suffixes: [(String, String)] = [
            ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("abli", "able"), ("entli", "ent"),
            ("izer", "ize"), ("ization", "ize"), ("ational", "ate"), ("ation", "ate"), ("ator", "ate"),
            ("alism", "al"), ("aliti", "al"), ("alli", "al"), ("fulness", "ful"), ("ousli", "ous"), ("ousness", "ous"),
            ("iveness", "ive"), ("iviti", "ive"), ("biliti", "ble"), ("bli", "ble"), ("ogi", "og"), ("fulli", "ful"),
            ("lessli", "less"), ("li", ""),
        ]

        mutating func step2() {
            guard let suffix = longest(of: Self.step2Suffixes.map(\.0)), start(of: suffix) >= r1,
                  let replacement = Self.step2Suffixes.first(where: { $0.0 == suffix })?.1 else { return }
            let before = start(of: suffix) - 1
            switch suffix {
            case "ogi":
                if before >= 0, letters[before] == "l" { replace(suffix, with: replacement) }
            case "li":
                if before >= 0, "cdeghkmnrt".unicodeScalars.contains(letters[before]) { replace(suffix, with: "") }
            default:
                replace(suffix, with: replacement)
            }
        }

        static let step3Suffixes: [(String, String)] = [
            ("tional", "tion"), ("ational", "ate"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"), ("ical", "ic"),
            ("ful", ""), ("ness", ""), ("ative", ""),
        ]

        mutating func step3() {
            guard let suffix = longest(of: Self.step3Suffixes.map(\.0)), start(of: suffix) >= r1,
                  let replacement = Self.step3Suffixes.first(where: { $0.0 == suffix })?.1 else { return }
            if suffix == "ative", start(of: suffix) < r2 { return }
            replace(suffix, with: replacement)
        }

        static let step4Suffixes = [
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous",
            "ive", "ize", "ion",
        ]

        mutating func step4() {
            guard let suffix = longest(of: Self.step4Suffixes), start(of: suffix) >= r2 else { return }
            if suffix == "ion" {
                let before = start(of: suffix) - 1
                guard before >= 0, letters[before] == "s" || letters[before] == "t" else { return }
            }
            replace(suffix, with: "")
        }

        mutating func step5() {
            guard let last = letters.last else { return }
            let position = count - 1
            if last == "e", position >= r2 || (position >= r1 && !endsInShortSyllable(before: position)) {
                letters.removeLast()
            } else if last == "l", position >= r2, position >= 1, letters[position - 1] == "l" {
                letters.removeLast()
            }
        }
    }
}

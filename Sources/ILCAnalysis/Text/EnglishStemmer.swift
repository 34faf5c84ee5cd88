/// The Snowball English ("Porter2") stemmer, written from its published definition
/// (snowballstem.org, `english.sbl`): `connection`, `connected` and `connecting` all
/// become `connect`. Words are expected in lower case; letters outside a–z count as
/// consonants. Steps and names follow the definition so the two can be read side by side.
public struct EnglishStemmer: Sendable {
    public init() {}

    public func stem(_ word: String) -> String {
        if let exception = Self.wholeWordExceptions[word] { return exception }
        var letters = Array(word.unicodeScalars)
        guard letters.count >= 3 else { return word }
        var yFound = false
        Self.prelude(&letters, yFound: &yFound)
        let (r1, r2) = Self.regions(letters)
        var stem = Stem(letters: letters, r1: r1, r2: r2)
        stem.step1a()
        if !Self.invariantAfterStep1a.contains(String(String.UnicodeScalarView(stem.letters))) {
            stem.step1b()
            stem.step1c()
            stem.step2()
            stem.step3()
            stem.step4()
            stem.step5()
        }
        if yFound {
            for index in stem.letters.indices where stem.letters[index] == "Y" { stem.letters[index] = "y" }
        }
        return String(String.UnicodeScalarView(stem.letters))
    }

    /// Special forms and words that stay as they are (`exception1`).
    static let wholeWordExceptions: [String: String] = [
        "skis": "ski", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie",
        "idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli", "singly": "singl",
        "sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas", "cosmos": "cosmos", "bias": "bias",
        "andes": "andes",
    ]

    /// Words left alone once Step 1a is done (`exception2`).
    static let invariantAfterStep1a: Set<String> = [
        "inning", "outing", "canning", "herring", "earring", "evening", "proceed", "exceed", "succeed",
    ]

    /// Drops an initial apostrophe and marks y as a consonant (Y) where it begins the
    /// word or follows a vowel.
    static func prelude(_ letters: inout [Unicode.Scalar], yFound: inout Bool) {
        if letters.first == "'" { letters.removeFirst() }
        for index in letters.indices where letters[index] == "y" && (index == 0 || isVowel(letters[index - 1])) {
            letters[index] = "Y"
            yFound = true
        }
    }

    /// R1 starts after the first non-vowel that follows a vowel (or after `gener`,
    /// `commun`, `arsen`); R2 is the same taken again inside R1.
    static func regions(_ letters: [Unicode.Scalar]) -> (Int, Int) {
        let word = String(String.UnicodeScalarView(letters))
        let r1 = ["gener", "commun", "arsen"].first(where: word.hasPrefix).map { $0.count }
            ?? afterVowelThenConsonant(letters, from: 0)
        return (r1, afterVowelThenConsonant(letters, from: r1))
    }

    static func afterVowelThenConsonant(_ letters: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < letters.count, !isVowel(letters[index]) { index += 1 }
        while index < letters.count, isVowel(letters[index]) { index += 1 }
        return min(index + 1, letters.count)
    }

    static func isVowel(_ letter: Unicode.Scalar) -> Bool {
        switch letter {
        case "a", "e", "i", "o", "u", "y": true
        default: false
        }
    }
}

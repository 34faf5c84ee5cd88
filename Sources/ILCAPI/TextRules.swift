import ILCCore

/// The rules the spec's string patterns state, checked by the handlers so a value the
/// schema refuses is refused the same way here (400, naming the field). Lengths are
/// `codePointCount`, as the schema and the tables count them.
enum TextRules {
    /// A name-like value: 1…`maximum` characters, not only spaces, no control characters.
    static func name(_ value: String?, pointer: String, maximum: Int = 200) -> APIProblem.FieldError? {
        guard let value else { return nil }
        let fits = (1...maximum).contains(value.codePointCount) && !value.allSatisfy(\.isWhitespace)
            && !value.unicodeScalars.contains { $0.value < 0x20 }
        return fits ? nil : .init(pointer: pointer, detail: "must be 1–\(maximum) characters, not only spaces, no control characters")
    }

    /// Free text: at most `maximum` characters, no NUL (PostgreSQL cannot store it).
    static func text(_ value: String?, pointer: String, maximum: Int) -> APIProblem.FieldError? {
        guard let value else { return nil }
        let fits = value.codePointCount <= maximum && !value.unicodeScalars.contains("\u{0}")
        return fits ? nil : .init(pointer: pointer, detail: "must be at most \(maximum) characters without NUL")
    }

    /// Throws the 400 listing every problem, if there is any.
    static func check(_ problems: [APIProblem.FieldError?]) throws {
        let found = problems.compactMap { $0 }
        guard let first = found.first else { return }
        var problem = APIProblem.invalid(first.pointer, first.detail)
        problem.errors = found
        throw problem
    }
}

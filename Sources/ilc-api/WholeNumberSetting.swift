import ArgumentParser

/// A whole-number setting of `ilc-api`: its flag, else its environment variable, else a
/// default; a value out of range is refused naming where it came from. `validate()` and
/// `run()` read each setting through the same one, so the rules are stated once.
struct WholeNumberSetting {
    let flag: Int?
    let flagName: String
    let variable: String
    let range: ClosedRange<Int>
    /// What the variable must hold, for its error ("a number of seconds").
    let meaning: String
    let fallback: Int

    func value(in environment: [String: String]) throws -> Int {
        if let flag {
            guard range.contains(flag) else {
                throw ValidationError(
                    range.upperBound < Int.max
                        ? "\(flagName) must be \(range.lowerBound)…\(range.upperBound)"
                        : range.lowerBound == 0 ? "\(flagName) must not be negative" : "\(flagName) must be at least \(range.lowerBound)")
            }
            return flag
        }
        guard let text = environment[variable] else { return fallback }
        guard let number = Int(text), range.contains(number) else {
            throw ValidationError("\(variable) must be \(meaning), not '\(text)'")
        }
        return number
    }
}

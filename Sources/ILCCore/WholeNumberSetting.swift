/// A whole-number setting of a process (`ilc-api`, `ilc-worker`): its flag, else its
/// environment variable (if it has one), else a default; a value out of range is refused
/// naming where it came from. A command's `validate()` and `run()` read each setting
/// through the same one, so the rules are stated once.
public struct WholeNumberSetting: Sendable {
    /// A value out of range, with what the operator must change.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    let flag: Int?
    let flagName: String
    let variable: String?
    let range: ClosedRange<Int>
    /// What the variable must hold, for its error ("a number of seconds").
    let meaning: String
    let fallback: Int

    public init(flag: Int?, flagName: String, variable: String?, range: ClosedRange<Int>, meaning: String, fallback: Int) {
        self.flag = flag
        self.flagName = flagName
        self.variable = variable
        self.range = range
        self.meaning = meaning
        self.fallback = fallback
    }

    /// A setting only a flag sets; the flag's declared default is its value when not given.
    public init(flag: Int, flagName: String, range: ClosedRange<Int>) {
        self.init(flag: flag, flagName: flagName, variable: nil, range: range, meaning: "", fallback: flag)
    }

    /// Checks every setting, so a command refuses to start on the first bad one.
    public static func check(_ settings: [WholeNumberSetting], in environment: [String: String]) throws(Invalid) {
        for setting in settings {
            _ = try setting.value(in: environment)
        }
    }

    public func value(in environment: [String: String]) throws(Invalid) -> Int {
        if let flag {
            guard range.contains(flag) else {
                throw Invalid(
                    description: range.upperBound < Int.max
                        ? "\(flagName) must be \(range.lowerBound)…\(range.upperBound)"
                        : range.lowerBound == 0 ? "\(flagName) must not be negative" : "\(flagName) must be at least \(range.lowerBound)")
            }
            return flag
        }
        guard let variable, let text = environment[variable] else { return fallback }
        guard let number = Int(text), range.contains(number) else {
            throw Invalid(description: "\(variable) must be \(meaning), not '\(text)'")
        }
        return number
    }
}

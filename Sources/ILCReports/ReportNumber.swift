import Foundation

/// How numbers read in every format: up to two decimals, no trailing zeros, no
/// grouping (CSV readers and people both parse it), "-0" never.
public enum ReportNumber {
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded(), abs(rounded) < 1e15 {
            return String(Int64(rounded))
        }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}

import Foundation

/// The JSON results handlers return.
enum JobResult {
    /// A summary of counts, keys sorted so equal results read alike.
    static func counts(_ counts: [String: Int]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: counts, options: [.sortedKeys]), as: UTF8.self)
    }
}

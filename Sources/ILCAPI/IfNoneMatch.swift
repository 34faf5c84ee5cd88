import Foundation

/// `If-None-Match` (RFC 9110 §13.1.2): `*`, or a list of entity tags compared weakly, so
/// `W/"x"` matches `"x"`. One rule for every conditional GET (jobs, report content).
enum IfNoneMatch {
    static func matches(_ header: String, etag: String) -> Bool {
        header.split(separator: ",").contains { tag in
            let trimmed = tag.trimmingCharacters(in: .whitespaces)
            return trimmed == "*" || trimmed == etag || trimmed == "W/" + etag
        }
    }
}

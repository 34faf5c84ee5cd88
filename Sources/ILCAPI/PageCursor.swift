import Foundation

/// Opaque page cursors: the last item's id (ids are time-ordered), base64url without
/// padding. Opaque so the paging scheme can change without breaking clients.
enum PageCursor {
    static func encode(_ id: UUID) -> String {
        let bytes = withUnsafeBytes(of: id.uuid) { Data($0) }
        return bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> UUID? {
        guard text.count == 22 else { return nil }
        let base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "=="
        guard let data = Data(base64Encoded: base64), data.count == 16 else { return nil }
        return data.withUnsafeBytes { raw in
            UUID(uuid: raw.loadUnaligned(as: uuid_t.self))
        }
    }

    /// A listing fetched with `limit + 1` rows, split into the page to answer and the
    /// cursor of the next page (nil on the last one).
    static func split<Item>(_ items: [Item], limit: Int, id: (Item) -> UUID) -> (page: ArraySlice<Item>, next: String?) {
        let page = items.prefix(limit)
        return (page, items.count > limit ? page.last.map { encode(id($0)) } : nil)
    }

    /// The page a listing asks for: `limit` (default 50, at most 200) and the id to list
    /// before. Bad values throw the 400 naming them (the problem middleware answers it).
    static func page(limit: Int?, cursor: String?) throws -> (limit: Int, before: UUID?) {
        let limit = limit ?? 50
        guard (1...200).contains(limit) else { throw APIProblem.invalid("/limit", "must be between 1 and 200") }
        guard let cursor else { return (limit, nil) }
        guard let before = decode(cursor) else { throw APIProblem.invalid("/cursor", "is not a cursor this API gave out") }
        return (limit, before)
    }
}

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
}

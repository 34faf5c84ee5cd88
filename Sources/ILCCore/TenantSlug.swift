/// A tenant's short, URL-safe, unique name, such as `alabama` or `ontario-east`.
/// Same rule as the CHECK on `tenants.slug`.
public struct TenantSlug: Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(_ text: String) throws(ValidationError) {
        guard Self.isValid(text) else {
            throw ValidationError(
                field: "slug",
                message: "'\(text)' is not a valid slug: use 1–63 lowercase letters, digits and inner hyphens")
        }
        rawValue = text
    }

    public var description: String { rawValue }

    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...63).contains(bytes.count) else { return false }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else {
            return false
        }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }
}

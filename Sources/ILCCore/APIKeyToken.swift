import Foundation

/// The text a caller presents as `Authorization: Bearer <token>`.
///
/// A tenant key reads `ilc_<base32(tenant id ‖ key id ‖ secret)>`, an operator key
/// `ilcop_<base32(key id ‖ secret)>`. The ids let the server find the one stored row
/// without scanning (and, for tenant keys, without leaving its tenant's isolation);
/// the 160-bit secret is what proves possession. Only a SHA-256 of the whole text is stored.
public struct APIKeyToken: Sendable, Hashable {
    public enum Owner: Sendable, Hashable {
        case tenant(UUID)
        case operatorScope
    }

    public static let secretByteCount = 20
    static let tenantPrefix = "ilc_"
    static let operatorPrefix = "ilcop_"

    public let owner: Owner
    public let keyID: UUID
    public let secret: [UInt8]

    public init(owner: Owner, keyID: UUID, secret: [UInt8]) {
        self.owner = owner
        self.keyID = keyID
        self.secret = secret
    }

    /// A new key with a secret from the system's cryptographically secure generator.
    public static func generate(owner: Owner) -> APIKeyToken {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<secretByteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return APIKeyToken(owner: owner, keyID: UUID(), secret: secret)
    }

    /// The text to hand to the caller once.
    public var text: String {
        switch owner {
        case .tenant(let tenantID):
            Self.tenantPrefix + Base32.encode(tenantID.bytes + keyID.bytes + secret)
        case .operatorScope:
            Self.operatorPrefix + Base32.encode(keyID.bytes + secret)
        }
    }

    /// Parses presented text; any deviation from the format is `nil`, so callers
    /// answer every malformed key the same way as an unknown one.
    public init?(parsing text: String) {
        let body: Substring
        let isOperator: Bool
        if text.hasPrefix(Self.operatorPrefix) {
            body = text.dropFirst(Self.operatorPrefix.count)
            isOperator = true
        } else if text.hasPrefix(Self.tenantPrefix) {
            body = text.dropFirst(Self.tenantPrefix.count)
            isOperator = false
        } else {
            return nil
        }
        guard body.utf8.count <= 128, let bytes = Base32.decode(body) else { return nil }
        let idBytes = isOperator ? 16 : 32
        guard bytes.count == idBytes + Self.secretByteCount else { return nil }
        if isOperator {
            owner = .operatorScope
            keyID = UUID(bytes: bytes[0..<16])
        } else {
            owner = .tenant(UUID(bytes: bytes[0..<16]))
            keyID = UUID(bytes: bytes[16..<32])
        }
        secret = Array(bytes[idBytes...])
    }
}

extension UUID {
    var bytes: [UInt8] {
        withUnsafeBytes(of: uuid) { Array($0) }
    }

    init(bytes: ArraySlice<UInt8>) {
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &value) { destination in
            destination.copyBytes(from: bytes)
        }
        self.init(uuid: value)
    }
}

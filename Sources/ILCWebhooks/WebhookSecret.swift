import Crypto
import Foundation

/// A Standard Webhooks signing secret: `whsec_` and the base64 of 32 random bytes.
/// Shown to the partner once, when the endpoint is made; the key is its decoded bytes.
public struct WebhookSecret: Sendable, Equatable {
    public static let prefix = "whsec_"

    public let text: String
    let key: SymmetricKey

    /// Nil when `text` is not `whsec_` followed by base64 of 24 to 64 bytes.
    public init?(_ text: String) {
        guard text.hasPrefix(Self.prefix),
              let bytes = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))),
              (24...64).contains(bytes.count) else { return nil }
        self.text = text
        self.key = SymmetricKey(data: bytes)
    }

    public static func random() -> WebhookSecret {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        // A freshly encoded secret always parses.
        guard let secret = WebhookSecret(prefix + bytes.base64EncodedString()) else {
            preconditionFailure("a generated webhook secret did not parse")
        }
        return secret
    }

    public static func == (left: WebhookSecret, right: WebhookSecret) -> Bool {
        left.text == right.text
    }
}

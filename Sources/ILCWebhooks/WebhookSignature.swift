import Crypto
import Foundation
import ILCCore

/// Standard Webhooks signatures: `v1,` and the base64 of HMAC-SHA256 over
/// `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the endpoint's secret.
public enum WebhookSignature {
    public static func sign(id: String, timestamp: Int, body: Data, secret: WebhookSecret) -> String {
        var authenticator = HMAC<SHA256>(key: secret.key)
        authenticator.update(data: Data("\(id).\(timestamp).".utf8))
        authenticator.update(data: body)
        return "v1," + Data(authenticator.finalize()).base64EncodedString()
    }

    /// What a receiver checks: one of the space-separated signatures in `header` is
    /// ours, and the timestamp is within `tolerance` of `now` (replays of old messages
    /// fail). Partners use their own library; tests use this.
    public static func verify(
        header: String, id: String, timestamp: Int, body: Data, secret: WebhookSecret,
        now: Date = Date(), tolerance: TimeInterval = 300
    ) -> Bool {
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = Array(sign(id: id, timestamp: timestamp, body: body, secret: secret).utf8)
        return header.split(separator: " ").contains { ConstantTime.equals(Array($0.utf8), expected) }
    }
}

import Foundation
import ILCWebhooks
import Testing

@Suite struct WebhookSignatureTests {
    // The example of the Standard Webhooks specification.
    let secret = WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    let body = Data(#"{"test": 2432232314}"#.utf8)

    @Test func signsAsTheSpecificationsExample() throws {
        let secret = try #require(secret)
        let signature = WebhookSignature.sign(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, secret: secret)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func verifiesItsOwnSignatureAndNothingElse() throws {
        let secret = try #require(secret)
        let now = Date(timeIntervalSince1970: 1_614_265_400)
        let signature = WebhookSignature.sign(id: "msg_1", timestamp: 1_614_265_330, body: body, secret: secret)
        #expect(WebhookSignature.verify(header: signature, id: "msg_1", timestamp: 1_614_265_330, body: body, secret: secret, now: now))
        // One of several signatures (a receiver rotating secrets gets two).
        #expect(WebhookSignature.verify(
            header: "v1,AAAA \(signature)", id: "msg_1", timestamp: 1_614_265_330, body: body, secret: secret, now: now))
        #expect(!WebhookSignature.verify(
            header: signature, id: "msg_2", timestamp: 1_614_265_330, body: body, secret: secret, now: now))
        #expect(!WebhookSignature.verify(
            header: signature, id: "msg_1", timestamp: 1_614_265_330, body: Data("{}".utf8), secret: secret, now: now))
        #expect(!WebhookSignature.verify(
            header: signature, id: "msg_1", timestamp: 1_614_265_330, body: body, secret: WebhookSecret.random(), now: now))
        // Too old: a replay.
        #expect(!WebhookSignature.verify(
            header: signature, id: "msg_1", timestamp: 1_614_265_330, body: body, secret: secret,
            now: now.addingTimeInterval(3_600)))
    }

    @Test func secretsAreWhsecAndEnoughRandomBytes() {
        let made = WebhookSecret.random()
        #expect(made.text.hasPrefix("whsec_"))
        #expect(WebhookSecret(made.text) == made)
        #expect(WebhookSecret.random() != made)
        #expect(WebhookSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") == nil)
        #expect(WebhookSecret("whsec_c2hvcnQ=") == nil)
        #expect(WebhookSecret("whsec_not base64!") == nil)
    }
}

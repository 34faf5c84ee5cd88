import Foundation
import ILCTestSupport
import ILCWebhooks
import Testing

@Suite struct WebhookSenderTests {
    let secret = WebhookSecret.random()
    let body = Data(#"{"type":"job.succeeded","data":{"id":"0190"}}"#.utf8)

    @Test func sendsASignedRequestToAnAllowedReceiver() async throws {
        let receiver = try await WebhookReceiver.start { _ in .init(status: 202) }
        let sender = try WebhookSender(policy: NetworkAddressPolicy(allowsPrivateNetworks: true))
        let url = try WebhookURL.parse("http://127.0.0.1:\(receiver.port)/hooks/ilc?tenant=a").get()
        let answer = try await sender.send(WebhookMessage(id: "evt_1", body: body, secret: secret), to: url)
        await receiver.close()

        #expect(answer.status == 202)
        #expect(answer.excerpt == "ok")
        let request = try #require(receiver.requests.first)
        #expect(request.uri == "/hooks/ilc?tenant=a")
        #expect(request.body == body)
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["host"] == "127.0.0.1:\(receiver.port)")
        #expect(request.headers["webhook-id"] == "evt_1")
        let timestamp = try #require(request.headers["webhook-timestamp"].flatMap { Int($0) })
        #expect(abs(Date().timeIntervalSince1970 - Double(timestamp)) < 60)
        #expect(WebhookSignature.verify(
            header: request.headers["webhook-signature"] ?? "", id: "evt_1", timestamp: timestamp, body: body, secret: secret))
    }

    @Test func reportsTheReceiversStatusAndRetryAfter() async throws {
        let receiver = try await WebhookReceiver.start { _ in .init(status: 503, headers: ["Retry-After": "120"]) }
        let sender = try WebhookSender(policy: NetworkAddressPolicy(allowsPrivateNetworks: true))
        let answer = try await sender.send(
            WebhookMessage(id: "evt_2", body: body, secret: secret),
            to: try WebhookURL.parse("http://localhost:\(receiver.port)/").get())
        await receiver.close()
        #expect(answer.status == 503)
        #expect(answer.retryAfterSeconds == 120)
    }

    @Test func neverConnectsToLoopbackUnlessAllowed() async throws {
        let receiver = try await WebhookReceiver.start()
        let sender = try WebhookSender(policy: NetworkAddressPolicy())
        await #expect(throws: WebhookSendError.refusedAddress(host: "127.0.0.1", address: "127.0.0.1")) {
            try await sender.send(
                WebhookMessage(id: "evt_3", body: body, secret: secret),
                to: try WebhookURL.parse("http://127.0.0.1:\(receiver.port)/").get())
        }
        await receiver.close()
        #expect(receiver.requests.isEmpty)
    }

    @Test func givesUpOnASlowReceiver() async throws {
        let receiver = try await WebhookReceiver.start { _ in .init(status: 200, delaySeconds: 4) }
        let sender = try WebhookSender(policy: NetworkAddressPolicy(allowsPrivateNetworks: true), timeout: .seconds(1))
        await #expect(throws: WebhookSendError.timedOut(seconds: 1)) {
            try await sender.send(
                WebhookMessage(id: "evt_4", body: body, secret: secret),
                to: try WebhookURL.parse("http://127.0.0.1:\(receiver.port)/").get())
        }
        await receiver.close()
    }

    @Test func speaksTLSAndChecksTheCertificate() async throws {
        let certificate = try TestCertificate.make()
        let receiver = try await WebhookReceiver.start(tls: try certificate.serverContext()) { _ in .init(status: 200) }
        let url = try WebhookURL.parse("https://localhost:\(receiver.port)/secure").get()
        let message = WebhookMessage(id: "evt_5", body: body, secret: secret)

        // Generous timeouts: a debug-build TLS handshake in the parallel suite once took
        // over the default 15 s; this test is about certificates, not speed.
        let trusting = try WebhookSender(
            policy: NetworkAddressPolicy(allowsPrivateNetworks: true), timeout: .seconds(90),
            additionalTrustRoots: try certificate.certificates())
        #expect(try await trusting.send(message, to: url).status == 200)
        #expect(receiver.requests.first?.uri == "/secure")

        // The system's roots do not know the test's own certificate.
        let strict = try WebhookSender(policy: NetworkAddressPolicy(allowsPrivateNetworks: true), timeout: .seconds(90))
        await #expect(throws: (any Error).self) { try await strict.send(message, to: url) }
        await receiver.close()
        #expect(receiver.requests.count == 1)
    }
}

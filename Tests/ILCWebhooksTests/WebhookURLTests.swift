import ILCWebhooks
import Testing

@Suite struct WebhookURLTests {
    @Test func takesAnHTTPSURLApart() throws {
        let url = try WebhookURL.parse("https://hooks.example.org:8443/ilc/events?source=ilc&v=1").get()
        #expect(url.usesTLS)
        #expect(url.host == "hooks.example.org")
        #expect(url.port == 8443)
        #expect(url.target == "/ilc/events?source=ilc&v=1")
    }

    @Test func defaultsPortAndPath() throws {
        let plain = try WebhookURL.parse("http://example.org").get()
        #expect(!plain.usesTLS)
        #expect(plain.port == 80)
        #expect(plain.target == "/")
        #expect(try WebhookURL.parse("https://example.org/x").get().port == 443)
    }

    @Test func unwrapsIPv6Literals() throws {
        let url = try WebhookURL.parse("http://[2001:db8::1]:9000/hook").get()
        #expect(url.host == "2001:db8::1")
        #expect(url.port == 9000)
    }

    @Test(arguments: [
        ("ftp://example.org/", "must use https (or http)"),
        ("https://user:secret@example.org/", "must not carry a user name or password"),
        ("https://example.org/#part", "must not have a fragment"),
        ("example.org/hook", "must be an absolute URL"),
        ("https:///hook", "must name a host"),
    ])
    func refuses(text: String, detail: String) {
        switch WebhookURL.parse(text) {
        case .success: Issue.record("\(text) was accepted")
        case .failure(let problem): #expect(problem.detail == detail)
        }
    }

    @Test func refusesVeryLongURLs() {
        let long = "https://example.org/" + String(repeating: "a", count: 2_100)
        #expect((try? WebhookURL.parse(long).get()) == nil)
    }
}

import Foundation
import ILCCore

/// The "invalid keys" abuse scenario. Each part comes from its own client address (the
/// lab's API trusts X-Forwarded-For from 127.0.0.1, as from a load balancer), so the
/// per-client limit of one part does not spill into the next or into other scenarios.
enum VerifyKeyGuessing {
    /// Failed checks from one client before it is locked out: `ilc-api`'s default.
    static let perClient = 100

    /// Random keys and text that is no key: each a plain 401 that tells nothing, answered
    /// in about the same time (secrets are compared in constant time; the figures show the
    /// medians). Trying many keys from one client: after `perClient` failures, 429
    /// `client_locked` for every key not verified lately, a valid one included, while
    /// other clients are served; text that is no key is not counted. Guessing one key's
    /// secret: 401 until its tenth failure, then 429 `key_locked` for every attempt with
    /// that key, the right secret included.
    static func run(_ lab: VerifyLab) async throws -> String {
        let tenant = try await VerifyTenant.create(lab, name: "keys")
        guard let real = APIKeyToken(parsing: tenant.key) else { throw VerifyFailure("the issued key does not parse") }
        func send(_ key: String, from client: String) async throws -> (VerifyClient.Answer, Double) {
            let started = ContinuousClock.now
            let answer = try await VerifyClient(port: lab.apiPort, key: key).send("GET", "/v1/cycles", headers: ["X-Forwarded-For": client])
            return (answer, started.duration(to: .now).timeInterval * 1_000)
        }
        func medianOf401(_ keys: [String], from client: String) async throws -> Double {
            var timings: [Double] = []
            for key in keys {
                let (answer, milliseconds) = try await send(key, from: client)
                try VerifyAbuse.expectProblem(answer, status: 401, "an invalid key")
                guard answer.header("WWW-Authenticate") == "Bearer" else { throw VerifyFailure("401 without WWW-Authenticate") }
                timings.append(milliseconds)
            }
            return timings.sorted()[timings.count / 2]
        }
        func randomKey() -> String { APIKeyToken.generate(owner: .tenant(UUID())).text }
        let (scanner, bystander, guesser) = (randomClient(), randomClient(), randomClient())

        let randomMedian = try await medianOf401((1..<perClient).map { _ in randomKey() }, from: scanner)
        var lockedRetryAfter = ""
        for (label, key) in [("the limit's failure", randomKey()), ("a valid key from the locked client", tenant.key)] {
            let (answer, _) = try await send(key, from: scanner)
            try VerifyAbuse.expectProblem(answer, status: 429, label)
            guard answer.json["code"] as? String == "client_locked", let retryAfter = answer.header("Retry-After") else {
                throw VerifyFailure("\(label): expected client_locked with Retry-After: \(answer.text)")
            }
            lockedRetryAfter = retryAfter
        }
        let garbageMedian = try await medianOf401((0..<perClient).map { _ in "not-a-key-\(UUID().uuidString)" }, from: bystander)
        let (served, _) = try await send(tenant.key, from: bystander)
        guard served.status == 200 else { throw VerifyFailure("another client's valid key answered \(served.status): \(served.text)") }

        var statuses: [Int] = []
        var retryAfter: String?
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let secret = (0..<APIKeyToken.secretByteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let (answer, _) = try await send(APIKeyToken(owner: real.owner, keyID: real.keyID, secret: secret).text, from: guesser)
            statuses.append(answer.status)
            if answer.status == 429 { retryAfter = answer.header("Retry-After") }
        }
        let expected = Array(repeating: 401, count: 9) + Array(repeating: 429, count: 41)
        guard statuses == expected, let retryAfter else {
            throw VerifyFailure("50 guesses of one key's secret answered \(statuses)")
        }
        // After the key cache time, so the right secret is checked, not remembered.
        try await Task.sleep(for: .seconds(VerifyLab.keyCacheSeconds + 1))
        let (rightSecret, _) = try await send(tenant.key, from: guesser)
        try VerifyAbuse.expectProblem(rightSecret, status: 429, "the right secret of a locked key")
        return String(
            format: "%d random keys from one client: 401 (median %.1f ms), then 429 client_locked (Retry-After %@ s), its valid key too; "
                + "%d non-keys from another: 401 (median %.1f ms), uncounted, its valid key served; "
                + "guessing one key: 9 × 401, then 429 key_locked (Retry-After %@ s), its right secret too",
            perClient - 1, randomMedian, lockedRetryAfter, perClient, garbageMedian, retryAfter)
    }

    /// An address in 198.18.0.0/15 (set aside for benchmarks), new for each run, since
    /// the lab's Redis remembers failures for five minutes.
    private static func randomClient() -> String {
        "198.\(Int.random(in: 18...19)).\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
    }
}

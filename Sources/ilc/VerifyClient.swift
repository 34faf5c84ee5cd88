import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// HTTP to the `ilc-api` under test, as a partner sends it, with whatever key, headers
/// and body a scenario needs, and the whole answer back.
struct VerifyClient: Sendable {
    let base: String
    let key: String?

    struct Answer: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data

        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var isProblem: Bool { header("Content-Type")?.hasPrefix("application/problem+json") == true }
        var text: String { String(decoding: body.prefix(600), as: UTF8.self) }
    }

    init(port: Int, key: String?) {
        base = "http://127.0.0.1:\(port)"
        self.key = key
    }

    /// One request; a transport failure (refused, timed out) throws.
    func send(
        _ method: String, _ path: String, json: Any? = nil, body: Data? = nil, contentType: String? = nil,
        idempotencyKey: String? = nil, headers: [String: String] = [:], timeout: TimeInterval = 30
    ) async throws -> Answer {
        guard let url = URL(string: base + path) else { throw VerifyFailure("not a URL: \(base + path)") }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = body
            request.setValue(contentType ?? "application/json", forHTTPHeaderField: "Content-Type")
        }
        if let idempotencyKey { request.setValue(idempotencyKey, forHTTPHeaderField: "Idempotency-Key") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] {
            if let name = name as? String, let value = value as? String { fields[name] = value }
        }
        return Answer(status: http?.statusCode ?? 0, headers: fields, body: data)
    }

    /// A write as a careful partner makes it: one idempotency key, retried after
    /// transport failures, 503 and 429 (waiting what Retry-After says) until `deadline`.
    /// Answers the final answer and how many tries it took.
    func write(
        _ method: String, _ path: String, json: Any, deadline: ContinuousClock.Instant
    ) async throws -> (answer: Answer, tries: Int, unavailable: Int) {
        let idempotencyKey = UUID().uuidString
        // Serialised once: a retry must send the same bytes, and two serialisations of
        // one dictionary may order its keys differently (the server would answer 422).
        let body = try JSONSerialization.data(withJSONObject: json)
        var tries = 0
        var unavailable = 0
        while true {
            tries += 1
            var wait = Duration.milliseconds(200)
            do {
                let answer = try await send(method, path, body: body, idempotencyKey: idempotencyKey, timeout: 15)
                guard [503, 429, 409].contains(answer.status) else { return (answer, tries, unavailable) }
                if answer.status == 503 {
                    guard answer.isProblem, answer.header("Retry-After") != nil else {
                        throw VerifyFailure("503 without problem+json and Retry-After: \(answer.text)")
                    }
                    unavailable += 1
                }
                wait = .seconds(min(Int(answer.header("Retry-After") ?? "1") ?? 1, 2))
            } catch let failure as VerifyFailure {
                throw failure
            } catch {
                // Refused or timed out: the answer may have been lost after the write
                // committed, which the idempotency key makes safe to retry.
            }
            guard ContinuousClock.now + wait < deadline else {
                throw VerifyFailure("\(method) \(path) not accepted after \(tries) tries")
            }
            try await Task.sleep(for: wait)
        }
    }
}

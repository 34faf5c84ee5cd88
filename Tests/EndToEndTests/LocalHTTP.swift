import Foundation
import ILCCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Plain HTTP requests to a process under test, and waiting for it to come up.
enum LocalHTTP {
    static func request(
        _ method: String, _ url: URL, key: String? = nil, body: String? = nil, headers: [String: String] = [:]
    ) async throws -> (status: Int, headers: [AnyHashable: Any], body: Data) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        // Conditional requests are the test's own: no cache answers for the server.
        request.cachePolicy = .reloadIgnoringLocalCacheData
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, http.allHeaderFields, data)
    }

    /// The body as a JSON object (empty when it is none).
    /// The job at `location` (a Location header) once it is finished, as
    /// `GET /v1/jobs/{id}` shows it; as it is after two minutes otherwise.
    static func finishedJob(_ location: String, base: URL, key: String) async throws -> [String: Any] {
        let url = try #require(URL(string: location, relativeTo: base))
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let job = object(try await request("GET", url, key: key).body)
            if let state = job["state"] as? String, JobState(rawValue: state)?.isTerminal == true { return job }
            try await Task.sleep(for: .milliseconds(200))
        }
        return object(try await request("GET", url, key: key).body)
    }

    static func object(_ data: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// True once `GET /healthz` answers 200, false after 30 s.
    static func waitUntilUp(_ base: URL) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while (try? await request("GET", base.appendingPathComponent("healthz")).status) != 200 {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(100))
        }
        return true
    }
}

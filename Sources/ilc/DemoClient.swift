import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The partner API as an integration partner calls it: JSON over HTTP with a tenant's
/// key, jobs polled until they finish.
struct DemoClient: Sendable {
    let base: URL
    let key: String

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The decoded JSON answer; a status outside 2xx/304 is a failure with its problem.
    @discardableResult
    func call(_ method: String, _ path: String, body: Any? = nil) async throws -> Any {
        let (status, data) = try await raw(method, path, body: body)
        guard (200..<300).contains(status) else {
            throw Failure(description: "\(method) \(path): \(status) \(String(decoding: data.prefix(400), as: UTF8.self))")
        }
        return data.isEmpty ? [:] : try JSONSerialization.jsonObject(with: data)
    }

    func object(_ method: String, _ path: String, body: Any? = nil) async throws -> [String: Any] {
        try await call(method, path, body: body) as? [String: Any] ?? [:]
    }

    func raw(_ method: String, _ path: String, body: Any? = nil) async throws -> (status: Int, data: Data) {
        // `path` may carry a query: joined as text, not as a path component.
        let root = base.absoluteString.hasSuffix("/") ? String(base.absoluteString.dropLast()) : base.absoluteString
        guard let url = URL(string: root + "/" + path) else { throw Failure(description: "not a URL: \(root)/\(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        request.cachePolicy = .reloadIgnoringLocalCacheData
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue(UUID().uuidString, forHTTPHeaderField: "Idempotency-Key")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// Every item of a listing, following its cursor.
    func all(_ path: String) async throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var cursor: String?
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            let page = try await object("GET", path + separator + "limit=200" + (cursor.map { "&cursor=\($0)" } ?? ""))
            items += page["data"] as? [[String: Any]] ?? []
            cursor = page["next"] as? String
        } while cursor != nil
        return items
    }

    /// Starts a job and polls it until it ends, drawing its progress on stderr; a job
    /// that does not succeed is a failure.
    func run(_ label: String, _ path: String, body: Any? = nil) async throws -> [String: Any] {
        var job = try await object("POST", path, body: body ?? [String: Any]())
        let id = job["id"] as? String ?? ""
        while !["succeeded", "failed", "canceled"].contains(job["state"] as? String ?? "") {
            let percent = ((job["progress"] as? [String: Any])?["percent"] as? Double) ?? 0
            let filled = Int(percent / 100 * 24)
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 24 - filled)
            FileHandle.standardError.write(Data("\r  \(label) \(bar) \(job["state"] as? String ?? "")        ".utf8))
            try await Task.sleep(for: .milliseconds(250))
            job = try await object("GET", "v1/jobs/\(id)")
        }
        FileHandle.standardError.write(Data("\r  \(label) \(String(repeating: "█", count: 24)) \(job["state"] as? String ?? "")        \n".utf8))
        guard job["state"] as? String == "succeeded" else {
            throw Failure(description: "\(label) job \(id) ended \(job["state"] as? String ?? "?"): \(job["error"] ?? "")")
        }
        return job
    }
}

import Foundation

/// An endpoint URL a partner registered, taken apart for sending: `http` or `https`, a
/// host, no credentials or fragment, at most 2,048 characters.
public struct WebhookURL: Sendable, Equatable {
    public let text: String
    public let usesTLS: Bool
    /// Without the brackets of an IPv6 literal.
    public let host: String
    public let port: Int
    /// Path and query as sent in the request line; `/` when the URL has none.
    public let target: String

    /// The URL, or what is wrong with it in words for a problem's `detail`.
    public static func parse(_ text: String) -> Result<WebhookURL, WebhookURLProblem> {
        guard text.count <= 2_048 else { return .failure(WebhookURLProblem("must be at most 2048 characters")) }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return .failure(WebhookURLProblem("must be an absolute URL"))
        }
        guard scheme == "https" || scheme == "http" else {
            return .failure(WebhookURLProblem("must use https (or http)"))
        }
        var host = components.percentEncodedHost ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return .failure(WebhookURLProblem("must name a host")) }
        guard components.user == nil, components.password == nil else {
            return .failure(WebhookURLProblem("must not carry a user name or password"))
        }
        guard components.fragment == nil else { return .failure(WebhookURLProblem("must not have a fragment")) }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65_535).contains(port) else { return .failure(WebhookURLProblem("has a port outside 1…65535")) }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        let target = components.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
        return .success(WebhookURL(text: text, usesTLS: scheme == "https", host: host, port: port, target: target))
    }

    /// The `Host` header: the port only when it is not the scheme's own.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (usesTLS ? 443 : 80) ? name : "\(name):\(port)"
    }
}

public struct WebhookURLProblem: Error, Sendable, Equatable {
    public let detail: String

    init(_ detail: String) {
        self.detail = detail
    }
}

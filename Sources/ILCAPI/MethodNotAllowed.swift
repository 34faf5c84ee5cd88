import Foundation
import HTTPTypes
import Hummingbird

/// Answers methods a documented path does not have with `405` and `Allow`, instead of
/// the router's `404` (which would say the path does not exist).
enum MethodNotAllowed {
    static let candidates: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options, .trace]
        + (HTTPRequest.Method("QUERY").map { [$0] } ?? [])

    static func register(on router: Router<APIRequestContext>) {
        for (path, methods) in APIOperations.methodsByPath {
            let allowed = methods.contains(.get) ? methods + [.head] : methods
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            let routePath = RouterPath(routerSyntax(path))
            for method in candidates where !allowed.contains(method) {
                router.on(routePath, method: method) { _, _ -> Response in
                    let problem = APIProblem(
                        status: .methodNotAllowed, code: "method_not_allowed", title: "This path does not take that method",
                        detail: "allowed: \(allow)", headers: [.allow: allow])
                    return Response(
                        status: problem.status, headers: problem.responseHeaders,
                        body: .init(byteBuffer: ByteBuffer(data: problem.encoded())))
                }
            }
        }
    }

    /// `/v1/jobs/{jobId}` → `/v1/jobs/:jobId`.
    static func routerSyntax(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { component in
            component.hasPrefix("{") && component.hasSuffix("}") ? ":" + component.dropFirst().dropLast() : component
        }.joined(separator: "/")
    }
}

import HTTPTypes
import Hummingbird
import ILCWebhooks

/// Works out the request's client (`TrustedProxies`) and hands it to the operations
/// below as `ClientAddress.current`.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    let proxies: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let peer = context.remoteAddress?.addressBytes
        let address = proxies.client(peer: peer, forwardedFor: request.headers[values: Self.forwardedFor]).flatMap(ClientAddress.init)
        return try await ClientAddress.$current.withValue(address) {
            try await next(request, context)
        }
    }
}

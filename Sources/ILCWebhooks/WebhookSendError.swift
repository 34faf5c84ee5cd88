/// Why a webhook could not be sent (an answer of any status is not an error).
public enum WebhookSendError: Error, Sendable, Equatable, CustomStringConvertible {
    case unresolvable(host: String)
    /// The host resolves to an address the `NetworkAddressPolicy` refuses.
    case refusedAddress(host: String, address: String)
    case connectFailed(String)
    case timedOut(seconds: Int)
    /// The receiver closed the connection before a whole answer.
    case incompleteAnswer

    public var description: String {
        switch self {
        case .unresolvable(let host): "the host \(host) could not be resolved"
        case .refusedAddress(let host, let address):
            "the host \(host) resolves to \(address), a loopback, private or reserved address"
        case .connectFailed(let reason): "could not connect: \(reason)"
        case .timedOut(let seconds): "no answer within \(seconds) s"
        case .incompleteAnswer: "the connection closed before a whole answer"
        }
    }
}

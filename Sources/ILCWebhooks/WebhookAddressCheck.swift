import NIOCore
import Synchronization

/// Resolves an endpoint's host and applies the `NetworkAddressPolicy` to every address
/// it has: one refused address refuses the host, so a name cannot mix a public address
/// with a private one and hope for the second.
public struct WebhookAddressCheck: Sendable {
    public let policy: NetworkAddressPolicy

    public init(policy: NetworkAddressPolicy) {
        self.policy = policy
    }

    /// The addresses to connect to, in the resolver's order.
    public func addresses(for url: WebhookURL) async throws -> [SocketAddress] {
        let addresses = try await HostResolver.resolve(host: url.host, port: url.port)
        guard !addresses.isEmpty else { throw WebhookSendError.unresolvable(host: url.host) }
        for address in addresses where !policy.permits(address.addressBytes) {
            throw WebhookSendError.refusedAddress(host: url.host, address: address.ipAddress ?? "\(address)")
        }
        return addresses
    }

    /// For registration: the refusal in words, or nil when the URL may be used. A host
    /// that does not resolve (yet), or not within `resolveTimeout`, is accepted: each
    /// delivery checks again.
    public func refusal(of url: WebhookURL, resolveTimeout: Duration = .seconds(2)) async -> String? {
        // getaddrinfo cannot be cancelled, so the answer races a timer instead of
        // being awaited inside a task group (which would wait for the resolver anyway).
        let answer = FirstAnswer<String?>()
        return await withCheckedContinuation { continuation in
            answer.expect(continuation)
            Task {
                do {
                    _ = try await addresses(for: url)
                    answer.give(nil)
                } catch let error as WebhookSendError {
                    if case .refusedAddress = error { answer.give(error.description) } else { answer.give(nil) }
                } catch {
                    answer.give(nil)
                }
            }
            Task {
                try? await Task.sleep(for: resolveTimeout)
                answer.give(nil)
            }
        }
    }
}

/// Resumes a continuation with the first value given; later ones are dropped.
final class FirstAnswer<Value: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<Value, Never>?>(nil)

    func expect(_ continuation: CheckedContinuation<Value, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    func give(_ value: Value) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}

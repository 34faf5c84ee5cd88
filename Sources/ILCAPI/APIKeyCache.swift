import Foundation
import ILCStore
import Synchronization

/// Verified keys, kept for `lifetime`, so a partner polling a job costs no key lookup
/// per request. Entries are keyed by the presented key's SHA-256, so a wrong secret is
/// never a hit; failures are not kept. The price: a revoked or expired key, or a
/// tenant's changed rate limit, takes effect within `lifetime` on each API process.
final class APIKeyCache: Sendable {
    private struct Entry {
        let principal: APIPrincipal
        let expires: ContinuousClock.Instant
    }

    let store: APIKeyStore
    let lifetime: Duration
    /// Most keys kept; past it, expired entries go, and if none had, all do.
    let capacity: Int
    private let entries = Mutex<[Data: Entry]>([:])

    init(store: APIKeyStore, lifetime: Duration, capacity: Int = 10_000) {
        self.store = store
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The principal of a key verified within `lifetime`, without asking the store.
    func cached(_ presented: String) -> APIPrincipal? {
        guard lifetime > .zero else { return nil }
        let entry = entries.withLock { $0[APIKeyStore.hash(presented)] }
        guard let entry, entry.expires > ContinuousClock.now else { return nil }
        return entry.principal
    }

    /// Checks the key with the store (not the cache) and keeps it when it is good.
    func verify(_ presented: String) async throws -> APIPrincipal {
        let principal = try await store.authenticate(presented)
        guard lifetime > .zero else { return principal }
        let now = ContinuousClock.now
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[APIKeyStore.hash(presented)] = Entry(principal: principal, expires: now + lifetime)
        }
        return principal
    }

    /// Drops the tenant's keys, so their next use reads them (and the tenant) again.
    func forget(tenantID: UUID) {
        entries.withLock { entries in
            entries = entries.filter { $0.value.principal.subject != .tenant(tenantID) }
        }
    }
}

import Foundation
import ILCCore
import Logging

extension Worker {
    /// Extends the leases of running jobs and stops the ones cancelled or lost.
    func heartbeatLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.heartbeatInterval)
            let leases = await running.leases()
            guard !leases.isEmpty else { continue }
            do {
                let states = try await queue.store.extend(leases, lease: configuration.leaseDuration)
                for lease in leases {
                    switch states[lease.id] {
                    case .canceling?:
                        await running.stop(lease.id, reason: .canceled)
                    case nil:
                        await running.stop(lease.id, reason: .leaseLost)
                    default:
                        break
                    }
                }
            } catch where !Task.isCancelled {
                logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
            } catch {
                return
            }
        }
    }

    /// Writes progress at most once a second per job, all running jobs in one statement.
    func progressLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let latest = await progress.takeAll()
            guard !latest.isEmpty else { continue }
            let leases = await running.leases()
            let updates = leases.compactMap { lease in
                latest[lease.id].map { (lease.tenantID, lease.id, lease.token, $0) }
            }
            do {
                try await queue.store.recordProgress(updates)
            } catch where !Task.isCancelled {
                logger.warning("recording progress failed", metadata: ["error": "\(error)"])
            } catch {
                return
            }
        }
    }

    /// Every worker offers to do maintenance; one pass per interval takes place, whoever
    /// takes the turn, and the database lock lets one at a time.
    func maintenanceLoop() async {
        while !Task.isCancelled {
            do {
                if try await isMaintenanceTurn() {
                    metrics.maintained(try await queue.maintain())
                }
                metrics.depth(try await queue.index.depth())
            } catch where !Task.isCancelled {
                logger.warning("queue maintenance failed", metadata: ["error": "\(error)"])
            } catch {
                return
            }
            try? await Task.sleep(for: configuration.maintenanceInterval)
        }
    }

    /// Whether this worker makes the queue's next pass. A Redis that cannot say is
    /// asked again by the pass itself, which rebuilds it once it is back.
    private func isMaintenanceTurn() async throws -> Bool {
        do {
            return try await queue.index.takeMaintenanceTurn(every: configuration.maintenanceInterval, by: id)
        } catch where !Task.isCancelled {
            return true
        }
    }
}

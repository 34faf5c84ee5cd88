import PostgresNIO
import _ConnectionPoolModule

extension Database {
    /// Whether `error` says PostgreSQL could not be reached or dropped the connection
    /// (stopped, restarting, recovering, the backend terminated), as opposed to a fault
    /// of the statement itself. Such a failure is worth retrying once the server is back.
    public static func isUnavailable(_ error: any Error) -> Bool {
        if error is ConnectionPoolError || error is DatabaseConnectionLost { return true }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return true
        case .server:
            // Class 08: connection exceptions; 57P01–57P03: shut down by an
            // administrator or a crash, or not accepting connections yet.
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
        default:
            return false
        }
    }
}

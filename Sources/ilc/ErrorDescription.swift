import ILCCore
import ILCRedis
import ILCStore
import PostgresNIO
import _ConnectionPoolModule

/// Operator-facing wording for errors whose own description is unhelpful
/// (PostgresNIO hides server messages by default so logs cannot leak data).
enum ErrorDescription {
    static func line(for error: any Error) -> String? {
        switch error {
        case let error as ValidationError:
            return "invalid \(error.field): \(error.message)"
        case let error as ConfigurationError:
            return error.message
        case let error as StoreError:
            return error.description
        case let error as MigrationError:
            return error.description
        case let error as RedisError:
            return error.description
        case let error as RedisServerError:
            return "Redis answered: \(error.message)"
        case let error as UnreachableDatabase:
            return error.description
        case is ConnectionPoolError:
            return "cannot reach PostgreSQL (is it running? ops/services up)"
        case let error as PSQLError:
            if let message = error.serverInfo?[.message] {
                return "PostgreSQL: \(message)"
            }
            if error.code == .connectionError || error.code == .serverClosedConnection {
                return "cannot reach PostgreSQL (is it running? ops/services up)"
            }
            return "PostgreSQL error: \(error.code)"
        default:
            return nil
        }
    }
}

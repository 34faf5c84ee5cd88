import Crypto
import Foundation
import PostgresNIO

/// The answers of POST requests sent with an `Idempotency-Key`, kept 24 hours so a
/// retry gets the first answer instead of a second effect. Reads and writes happen
/// inside the request's own tenant transaction (`JoinedTransaction`), so a stored
/// answer always belongs to a committed effect.
public struct IdempotencyStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// A stored answer, replayed as it was.
    public struct Answer: Sendable, Equatable {
        public var status: Int
        public var headers: [String: String]
        public var body: [UInt8]

        public init(status: Int, headers: [String: String], body: [UInt8]) {
            self.status = status
            self.headers = headers
            self.body = body
        }
    }

    public enum Lookup: Sendable, Equatable {
        /// First use: run the request, then `record` its answer.
        case fresh
        /// Used before for the same request: its answer.
        case replay(Answer)
        /// Used before for a different request (another body, method or path).
        case mismatch
        /// A request with this key is running right now.
        case inProgress
    }

    /// Identifies a request: its method, path, content type and body.
    public static func fingerprint(method: String, path: String, contentType: String?, body: [UInt8]) -> Data {
        var hash = SHA256()
        for part in [method, path, contentType ?? ""] {
            hash.update(data: Data(part.utf8))
            hash.update(data: [0])
        }
        hash.update(data: body)
        return Data(hash.finalize())
    }

    /// Takes the key for this transaction (a concurrent request with it gets
    /// `.inProgress`, never a second run) and reports what it was used for before.
    public func lookup(key: String, fingerprint: Data, in transaction: Transaction) async throws -> Lookup {
        let locked = try await transaction.query(
            "SELECT pg_try_advisory_xact_lock(hashtextextended('idempotency:' || ilc_current_tenant() || ':' || \(key), 0))"
        )[0].decode(Bool.self)
        guard locked else { return .inProgress }
        let rows = try await transaction.query(
            """
            SELECT request_fingerprint, response_status, coalesce(response_headers, '{}')::text, coalesce(response_body, '')
            FROM idempotency_keys WHERE key = \(key) AND expires_at > now()
            """)
        guard let row = rows.first else { return .fresh }
        let (stored, status, headers, body) = try row.decode((Data, Int?, String, Data).self)
        guard stored == fingerprint else { return .mismatch }
        guard let status else { return .inProgress }
        let decodedHeaders = try JSONDecoder().decode([String: String].self, from: Data(headers.utf8))
        return .replay(Answer(status: status, headers: decodedHeaders, body: Array(body)))
    }

    /// Keeps `answer` for 24 hours (replacing an expired use of the same key).
    public func record(
        key: String, method: String, path: String, fingerprint: Data, answer: Answer, in transaction: Transaction
    ) async throws {
        let headers = String(decoding: try JSONEncoder().encode(answer.headers), as: UTF8.self)
        try await transaction.query(
            """
            INSERT INTO idempotency_keys AS k (tenant_id, key, method, path, request_fingerprint, state,
                response_status, response_headers, response_body)
            VALUES (ilc_current_tenant(), \(key), \(method), \(path), \(fingerprint), 'completed',
                \(answer.status), \(headers)::jsonb, \(Data(answer.body)))
            ON CONFLICT (tenant_id, key) DO UPDATE SET
                method = excluded.method, path = excluded.path, request_fingerprint = excluded.request_fingerprint,
                state = 'completed', response_status = excluded.response_status,
                response_headers = excluded.response_headers, response_body = excluded.response_body,
                created_at = now(), expires_at = now() + interval '24 hours'
            WHERE k.expires_at <= now()
            """)
    }

    /// Deletes every tenant's expired keys; returns how many.
    @discardableResult
    public func purgeExpired() async throws -> Int {
        try await database.withOperatorTransaction { transaction in
            // No WHERE clause: the operator-scope policy limits the DELETE to expired rows.
            try await transaction.execute("DELETE FROM idempotency_keys")
        }
    }
}

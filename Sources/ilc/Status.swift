import ArgumentParser
import Foundation
import ILCRedis
import ILCStore
import Logging

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that PostgreSQL and Redis answer and the schema is current.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Directory holding NNNN_name.sql files (default: $ILC_SCHEMA_DIR, else the nearest Schema/).")
    var schemaDir: String?

    func run() async throws {
        let expected = try Migration.load(from: try SchemaDirectory.locate(explicit: schemaDir))
        let logger = connection.logger
        let applied = try await connection.withDatabase { database in
            try await Migrator(migrations: expected, logger: logger).appliedVersions(database.client)
        }
        let pending = expected.filter { applied[$0.version] == nil }
        print("postgresql: ok, \(applied.count) migration(s) applied, \(pending.count) pending")

        let redis = RedisClient(configuration: try connection.redisConfiguration(), logger: logger)
        do {
            try await redis.ping()
            await redis.close()
        } catch {
            await redis.close()
            throw error
        }
        print("redis: ok")

        let workers = try await connection.withDatabase { database in
            try await WorkerRegistry(database: database).alive(within: .seconds(60))
        }
        print("workers: \(workers.count) alive")
        if !workers.isEmpty {
            let rows = workers.map { worker in
                [worker.id, worker.hostname, String(worker.pid), worker.jobTypes.joined(separator: ","), String(worker.concurrency)]
            }
            print(TextTable.render(header: ["id", "host", "pid", "types", "concurrency"], rows: rows))
        }
        if !pending.isEmpty {
            let versions = pending.map { String($0.version) }.joined(separator: ", ")
            FileHandle.standardError.write(Data("ilc: schema is behind, run ilc migrate (pending: \(versions))\n".utf8))
            throw ExitCode.failure
        }
    }
}

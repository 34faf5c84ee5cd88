import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCStore
import Testing

@testable import ILCAPI

@Suite struct JobsAPITests {
    @Test func aQueuedJobReadsWithETagAndRetryAfterAndAnUnchangedOneIs304() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant()
        let job = try await harness.enqueue(1, tenant: tenant.id)[0]
        try await harness.test { client in
            let tag = try await client.execute(uri: "/v1/jobs/\(job.id)", method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["state"] as? String == "queued")
                #expect(body["type"] as? String == "report")
                #expect(body["attempt"] as? Int == 0)
                #expect((body["links"] as? [String: String])?["self"] == "/v1/jobs/\(job.id.uuidString.lowercased())")
                #expect(body["payload"] == nil)
                #expect(response.headers[.retryAfter] != nil)
                let tag = try #require(response.headers[.eTag])
                #expect(tag.hasPrefix("\"") && tag.hasSuffix("\""))
                return tag
            }
            var headers = HTTPFields.bearer(tenant.key)
            headers[.ifNoneMatch] = tag
            try await client.execute(uri: "/v1/jobs/\(job.id)", method: .get, headers: headers) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
        }
    }

    @Test func keysAreCheckedAndEveryRefusalIsProblemJSON() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read])
        let job = try await harness.enqueue(1, tenant: tenant.id)[0]
        try await harness.test { client in
            for headers: HTTPFields in [[:], .bearer("ilc_notakey"), [.authorization: "Basic abc"]] {
                try await client.execute(uri: "/v1/jobs/\(job.id)", method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                    let problem = try json(response.body)
                    #expect(problem["code"] as? String == "unauthorized")
                }
            }
            // A read-only key may not cancel.
            try await client.execute(uri: "/v1/jobs/\(job.id)/cancel", method: .post, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .forbidden)
                let problem = try json(response.body)
                #expect(problem["code"] as? String == "missing_scope")
            }
        }
        #expect(try await harness.queues.job(tenantID: tenant.id, id: job.id)?.state == .queued)
    }

    @Test func anotherTenantsJobsAreNotFoundAndNeverListed() async throws {
        let harness = try await APIHarness.make()
        let owner = try await harness.tenant()
        let other = try await harness.tenant()
        let job = try await harness.enqueue(1, tenant: owner.id)[0]
        try await harness.test { client in
            for (uri, method) in [("/v1/jobs/\(job.id)", HTTPRequest.Method.get), ("/v1/jobs/\(job.id)/cancel", .post)] {
                try await client.execute(uri: uri, method: method, headers: .bearer(other.key)) { response in
                    #expect(response.status == .notFound, "\(method) \(uri)")
                    let problem = try json(response.body)
                    #expect(problem["code"] as? String == "not_found")
                    // Indistinguishable from a job that does not exist at all.
                }
                try await client.execute(
                    uri: uri.replacingOccurrences(of: job.id.uuidString, with: UUID().uuidString), method: method,
                    headers: .bearer(other.key)
                ) { response in
                    #expect(response.status == .notFound)
                }
            }
            try await client.execute(uri: "/v1/jobs", method: .get, headers: .bearer(other.key)) { response in
                let body = try json(response.body)
                #expect((body["data"] as? [Any])?.isEmpty == true)
            }
        }
        #expect(try await harness.queues.job(tenantID: owner.id, id: job.id)?.state == .queued)
    }

    @Test func listingPagesNewestFirstUntilNextIsAbsent() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant()
        let jobs = try await harness.enqueue(5, tenant: tenant.id)
        try await harness.test { client in
            var seen: [String] = []
            var uri = "/v1/jobs?limit=2"
            var pages = 0
            while true {
                let next = try await client.execute(uri: uri, method: .get, headers: .bearer(tenant.key)) { response in
                    #expect(response.status == .ok)
                    let body = try json(response.body)
                    seen += (body["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                    return body["next"] as? String
                }
                pages += 1
                guard let next else { break }
                uri = "/v1/jobs?limit=2&cursor=\(next)"
            }
            #expect(pages == 3)
            #expect(seen == jobs.map { $0.id.uuidString.lowercased() }.sorted().reversed())

            for (query, pointer) in [("limit=0", "/limit"), ("cursor=nonsense", "/cursor")] {
                try await client.execute(uri: "/v1/jobs?\(query)", method: .get, headers: .bearer(tenant.key)) { response in
                    #expect(response.status == .badRequest)
                    let problem = try json(response.body)
                    let errors = problem["errors"] as? [[String: String]]
                    #expect(errors?.first?["pointer"] == pointer)
                }
            }
            try await client.execute(uri: "/v1/jobs?state=bogus", method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
        }
    }

    @Test func cancelingAQueuedJobEndsItAndAFinishedJobConflicts() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant()
        let jobs = try await harness.enqueue(2, tenant: tenant.id)
        try await harness.database.withQueueTransaction { transaction in
            try await transaction.execute(
                "UPDATE jobs SET state = 'succeeded', finished_at = now() WHERE id = \(jobs[1].id)")
        }
        try await harness.test { client in
            try await client.execute(uri: "/v1/jobs/\(jobs[0].id)/cancel", method: .post, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .accepted)
                let problem = try json(response.body)
                #expect(problem["state"] as? String == "canceled")
            }
            try await client.execute(uri: "/v1/jobs/\(jobs[1].id)/cancel", method: .post, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .conflict)
                let problem = try json(response.body)
                #expect(problem["code"] as? String == "job_finished")
            }
        }
    }

    @Test func theContractIsServedAndEveryOperationHasAScope() async throws {
        let harness = try await APIHarness.make()
        let specification = String(decoding: try OpenAPIDocument.contents(), as: UTF8.self)
        let documented = Set(try SpecOperation.all())
        #expect(documented.count == specification.components(separatedBy: "operationId:").count - 1)
        let known = Set(APIOperations.all.map { SpecOperation(id: $0.id, method: $0.method, path: $0.path) })
        #expect(documented == known, "spec only: \(documented.subtracting(known)); table only: \(known.subtracting(documented))")
        try await harness.test { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == specification)
            }
            try await client.execute(uri: "/healthz", method: .get, headers: [HTTPField.Name("X-Request-Id")!: "abc-123"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("X-Request-Id")!] == "abc-123")
            }
            // A connection already open, so the readiness check's 1-second bound on Redis
            // measures one round trip, not a connect on a loaded test machine.
            try await harness.redis.ping()
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ready\npostgresql: ok\nredis: ok\n")
            }
        }
    }
}

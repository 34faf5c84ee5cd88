import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import Testing

@testable import ILCAPI

/// Every operation of `openapi.yaml` that names a resource, called with tenant B's
/// all-scopes key on tenant A's resource ids: each must answer 404 and show nothing.
/// The operations come from the spec itself, so a new one is covered without anyone
/// listing it; a new kind of path parameter fails here until it gets a fixture.
@Suite struct CrossTenantTests {
    @Test func anotherTenantsKeyFindsNothingOfTenantA() async throws {
        let harness = try await APIHarness.make()
        let owner = try await harness.tenant(scopes: [.admin])
        let intruder = try await harness.tenant(scopes: [.admin])
        let job = try await harness.enqueue(1, tenant: owner.id)[0]
        let operations = try SpecOperation.all()
        #expect(operations.count >= 7)
        try await harness.test { client in
            var headers = HTTPFields.bearer(owner.key)
            headers[.contentType] = "application/json"
            let cycle = try await client.execute(
                uri: "/v1/cycles", method: .post, headers: headers, body: ByteBuffer(string: #"{"name":"owner's"}"#)
            ) { response in
                try #require((try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["id"] as? String)
            }
            let fixtures = ["{jobId}": job.id.uuidString.lowercased(), "{cycleId}": cycle]
            var intruderHeaders = HTTPFields.bearer(intruder.key)
            intruderHeaders[.contentType] = "application/json"
            for operation in operations where operation.path.contains("{") {
                var uri = operation.path
                for (parameter, value) in fixtures { uri = uri.replacingOccurrences(of: parameter, with: value) }
                #expect(!uri.contains("{"), "no fixture for a parameter of \(operation)")
                let body: ByteBuffer? = [.post, .patch, .put].contains(operation.method) ? ByteBuffer(string: "{}") : nil
                try await client.execute(uri: uri, method: operation.method, headers: intruderHeaders, body: body) { response in
                    #expect(response.status == .notFound, "\(operation)")
                    #expect(!String(buffer: response.body).contains(job.id.uuidString.lowercased()))
                    #expect(!String(buffer: response.body).contains(cycle))
                }
            }
            // Starting work elsewhere names tenant A's ids in the body.
            for operation in operations where !operation.path.contains("{") && operation.method == .post {
                let body = ByteBuffer(string: #"{"cycle_id": "\#(cycle)", "name": "intruder's"}"#)
                try await client.execute(uri: operation.path, method: .post, headers: intruderHeaders, body: body) { response in
                    let refused = response.status == .notFound || response.status == .badRequest
                    let mayCreate = operation.path == "/v1/cycles"  // makes the intruder's own cycle
                    #expect(refused || mayCreate, "\(operation): \(response.status)")
                    #expect(!String(buffer: response.body).contains(job.id.uuidString.lowercased()), "\(operation)")
                    #expect(!String(buffer: response.body).contains(cycle), "\(operation)")
                }
            }
            for operation in operations where !operation.path.contains("{") && operation.method == .get {
                try await client.execute(uri: operation.path, method: .get, headers: intruderHeaders) { response in
                    #expect(response.status == .ok, "\(operation)")
                    #expect(!String(buffer: response.body).contains(job.id.uuidString.lowercased()), "\(operation)")
                    #expect(!String(buffer: response.body).contains(cycle), "\(operation)")
                }
            }
        }
        #expect(try await harness.queues.job(tenantID: owner.id, id: job.id)?.state == .queued)
    }
}

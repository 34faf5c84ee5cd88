import Foundation
import ILCCore
import ILCStore
import ILCWebhooks
import OpenAPIRuntime

extension PartnerAPI {
    func listWebhookEndpoints(
        _ input: Operations.ListWebhookEndpoints.Input
    ) async throws -> Operations.ListWebhookEndpoints.Output {
        let endpoints = try await WebhookStore(database: database).list(tenantID: try tenantID())
        return .ok(.init(body: .json(.init(data: endpoints.map(Components.Schemas.WebhookEndpoint.init)))))
    }

    func createWebhookEndpoint(
        _ input: Operations.CreateWebhookEndpoint.Input
    ) async throws -> Operations.CreateWebhookEndpoint.Output {
        let tenant = try tenantID()
        guard case .json(let body) = input.body else { throw APIProblem.invalid("", "expected a JSON body") }
        let eventTypes = try Self.eventTypes(body.eventTypes)
        try TextRules.check([TextRules.text(body.description, pointer: "/description", maximum: 500)])
        try await checkWebhookURL(body.url)
        let secret = WebhookSecret.random()
        let endpoint: WebhookEndpoint
        do {
            endpoint = try await WebhookStore(database: database).create(
                tenantID: tenant, url: body.url, description: body.description, eventTypes: eventTypes, secret: secret.text)
        } catch WebhookStore.Refusal.tooManyEndpoints(let limit) {
            throw APIProblem(
                status: .conflict, code: "too_many_endpoints", title: "The tenant has as many webhook endpoints as it may",
                detail: "a tenant has at most \(limit) endpoints; delete one first")
        }
        return .created(.init(
            headers: .init(location: "/v1/webhook-endpoints/\(endpoint.id.uuidString.lowercased())"),
            body: .json(.init(value1: .init(endpoint), value2: .init(secret: secret.text)))))
    }

    func getWebhookEndpoint(_ input: Operations.GetWebhookEndpoint.Input) async throws -> Operations.GetWebhookEndpoint.Output {
        let tenant = try tenantID()
        guard let id = UUID(uuidString: input.path.endpointId),
              let endpoint = try await WebhookStore(database: database).find(tenantID: tenant, id: id) else {
            throw APIProblem.notFound()
        }
        return .ok(.init(body: .json(.init(endpoint))))
    }

    func updateWebhookEndpoint(
        _ input: Operations.UpdateWebhookEndpoint.Input
    ) async throws -> Operations.UpdateWebhookEndpoint.Output {
        let tenant = try tenantID()
        guard case .json(let body) = input.body else { throw APIProblem.invalid("", "expected a JSON body") }
        let eventTypes = try body.eventTypes.map(Self.eventTypes)
        try TextRules.check([TextRules.text(body.description, pointer: "/description", maximum: 500)])
        guard let id = UUID(uuidString: input.path.endpointId) else { throw APIProblem.notFound() }
        // Another tenant's endpoint is a 404 before its new URL is looked at.
        let store = WebhookStore(database: database)
        guard try await store.find(tenantID: tenant, id: id) != nil else { throw APIProblem.notFound() }
        if let url = body.url { try await checkWebhookURL(url) }
        let changes = WebhookEndpointChanges(
            url: body.url, description: body.description, eventTypes: eventTypes, enabled: body.enabled)
        guard let endpoint = try await store.update(tenantID: tenant, id: id, changes: changes) else {
            throw APIProblem.notFound()
        }
        return .ok(.init(body: .json(.init(endpoint))))
    }

    func deleteWebhookEndpoint(
        _ input: Operations.DeleteWebhookEndpoint.Input
    ) async throws -> Operations.DeleteWebhookEndpoint.Output {
        let tenant = try tenantID()
        guard let id = UUID(uuidString: input.path.endpointId),
              try await WebhookStore(database: database).delete(tenantID: tenant, id: id) else {
            throw APIProblem.notFound()
        }
        return .noContent(.init())
    }

    func listWebhookDeliveries(
        _ input: Operations.ListWebhookDeliveries.Input
    ) async throws -> Operations.ListWebhookDeliveries.Output {
        let tenant = try tenantID()
        let (limit, cursor) = try PageCursor.page(limit: input.query.limit, cursor: input.query.cursor)
        let state = input.query.state.flatMap { WebhookDelivery.State(rawValue: $0.rawValue) }
        guard let endpointID = UUID(uuidString: input.path.endpointId),
              let deliveries = try await WebhookStore(database: database).deliveries(
                tenantID: tenant, endpointID: endpointID, state: state, before: cursor, limit: limit + 1) else {
            throw APIProblem.notFound()
        }
        let (page, next) = PageCursor.split(deliveries, limit: limit, id: \.id)
        return .ok(.init(body: .json(.init(data: page.map(Components.Schemas.WebhookDelivery.init), next: next))))
    }

    /// 400 for a URL that is not one, 422 for one the address policy refuses.
    private func checkWebhookURL(_ text: String) async throws {
        switch WebhookURL.parse(text) {
        case .failure(let problem):
            throw APIProblem.invalid("/url", problem.detail)
        case .success(let url):
            if let refusal = await webhookAddresses.refusal(of: url) {
                throw APIProblem.unfit([.init(pointer: "/url", detail: refusal)])
            }
        }
    }

    private static func eventTypes(_ given: [Components.Schemas.WebhookEventType]) throws -> [WebhookEventType] {
        let types = given.compactMap { WebhookEventType(rawValue: $0.rawValue) }
        guard !types.isEmpty else { throw APIProblem.invalid("/event_types", "must name at least one event type") }
        guard Set(types).count == types.count else {
            throw APIProblem.invalid("/event_types", "must not name an event type twice")
        }
        return types
    }
}

extension Components.Schemas.WebhookEndpoint {
    init(_ endpoint: WebhookEndpoint) {
        self.init(
            id: endpoint.id.uuidString.lowercased(), url: endpoint.url, description: endpoint.description,
            eventTypes: endpoint.eventTypes.compactMap { Components.Schemas.WebhookEventType(rawValue: $0.rawValue) },
            enabled: endpoint.enabled, disabledReason: endpoint.disabledReason, createdAt: endpoint.createdAt,
            updatedAt: endpoint.updatedAt)
    }
}

extension Components.Schemas.WebhookDelivery {
    init(_ delivery: WebhookDelivery) {
        self.init(
            id: delivery.id.uuidString.lowercased(), endpointId: delivery.endpointID.uuidString.lowercased(),
            eventId: delivery.eventID,
            eventType: Components.Schemas.WebhookEventType(rawValue: delivery.eventType) ?? .job_succeeded,
            state: Components.Schemas.WebhookDeliveryState(rawValue: delivery.state.rawValue) ?? .pending,
            attempts: delivery.attempts, nextAttemptAt: delivery.nextAttemptAt, lastStatus: delivery.lastStatus,
            lastError: delivery.lastError, jobId: delivery.jobID?.uuidString.lowercased(), createdAt: delivery.createdAt,
            deliveredAt: delivery.deliveredAt, body: delivery.payload,
            attemptLog: delivery.attemptLog.map {
                .init(
                    attempt: $0.attempt, startedAt: $0.startedAt, durationMs: $0.durationMilliseconds,
                    statusCode: $0.statusCode, error: $0.error, responseExcerpt: $0.responseExcerpt)
            })
    }
}

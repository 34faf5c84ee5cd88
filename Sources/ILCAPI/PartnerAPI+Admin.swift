import Foundation
import ILCCore
import ILCStore
import OpenAPIRuntime

/// Tenant administration: the authentication middleware lets only operator keys in.
extension PartnerAPI {
    func adminListTenants(_ input: Operations.AdminListTenants.Input) async throws -> Operations.AdminListTenants.Output {
        let tenants = try await TenantStore(database: database).list()
        return .ok(.init(body: .json(.init(data: tenants.map(Components.Schemas.AdminTenant.init)))))
    }

    func adminCreateTenant(_ input: Operations.AdminCreateTenant.Input) async throws -> Operations.AdminCreateTenant.Output {
        guard case .json(let body) = input.body else { throw APIProblem.invalid("", "expected a JSON body") }
        var problems: [APIProblem.FieldError?] = [TextRules.name(body.name, pointer: "/name")]
        let slug = try? TenantSlug(body.slug)
        if slug == nil {
            problems.append(.init(pointer: "/slug", detail: "must be 1–63 lowercase letters, digits or inner hyphens"))
        }
        try TextRules.check(problems)
        guard let slug, let kind = TenantKind(rawValue: body.kind.rawValue) else { throw APIProblem.invalid("/kind", "is not a tenant kind") }
        do {
            let tenant = try await TenantStore(database: database).create(slug: slug, name: body.name, kind: kind)
            return .created(.init(
                headers: .init(location: "/v1/admin/tenants/\(tenant.id.uuidString.lowercased())"), body: .json(.init(tenant))))
        } catch StoreError.conflict(let message) {
            throw APIProblem(status: .conflict, code: "slug_taken", title: "The slug is taken", detail: message)
        }
    }

    func adminGetTenant(_ input: Operations.AdminGetTenant.Input) async throws -> Operations.AdminGetTenant.Output {
        guard let id = UUID(uuidString: input.path.tenantId),
              let tenant = try await TenantStore(database: database).find(id: id) else {
            throw APIProblem.notFound()
        }
        return .ok(.init(body: .json(.init(tenant))))
    }

    func adminUpdateTenant(_ input: Operations.AdminUpdateTenant.Input) async throws -> Operations.AdminUpdateTenant.Output {
        guard case .json(let body) = input.body else { throw APIProblem.invalid("", "expected a JSON body") }
        var problems: [APIProblem.FieldError?] = [
            TextRules.name(body.name, pointer: "/name"), TextRules.name(body.publicName, pointer: "/public_name"),
        ]
        let ranges: [(String, Int?, ClosedRange<Int>)] = [
            ("suppression_threshold", body.suppressionThreshold, 1...1_000), ("queue_weight", body.queueWeight, 1...1_000),
            ("report_retention_days", body.reportRetentionDays, 1...3_650),
            ("max_in_flight", body.maxInFlight, 0...100_000), ("rate_limit", body.rateLimit, 0...1_000_000),
        ]
        for (field, value, range) in ranges {
            if let value, !range.contains(value) {
                problems.append(.init(pointer: "/\(field)", detail: "must be between \(range.lowerBound) and \(range.upperBound)"))
            }
        }
        try TextRules.check(problems)
        if body.rateLimit != nil, body.useDefaultRateLimit == true {
            throw APIProblem.unfit([
                .init(pointer: "/use_default_rate_limit", detail: "cannot go with rate_limit: send one of them"),
            ])
        }
        var changes = TenantChanges()
        changes.name = body.name
        changes.publicName = body.publicName
        changes.sharing = body.sharing.flatMap { SharingPolicy(rawValue: $0.rawValue) }
        changes.suppressionThreshold = body.suppressionThreshold
        changes.reportRetentionDays = body.reportRetentionDays
        changes.queueWeight = body.queueWeight
        changes.maxInFlight = body.maxInFlight
        if let limit = body.rateLimit { changes.rateLimit = .perSecond(limit) }
        if body.useDefaultRateLimit == true { changes.rateLimit = .serverDefault }
        guard let id = UUID(uuidString: input.path.tenantId),
              let tenant = try await TenantStore(database: database).update(id: id, changes) else {
            throw APIProblem.notFound()
        }
        // Its keys carry the rate limit: this process reads them again at once (others
        // within the cache's lifetime).
        keys.forget(tenantID: id)
        return .ok(.init(body: .json(.init(tenant))))
    }

    func adminDeleteTenant(_ input: Operations.AdminDeleteTenant.Input) async throws -> Operations.AdminDeleteTenant.Output {
        let store = TenantStore(database: database)
        guard let id = UUID(uuidString: input.path.tenantId), let tenant = try await store.find(id: id) else {
            throw APIProblem.notFound()
        }
        guard input.query.confirm == tenant.slug.rawValue else {
            throw APIProblem.unfit([.init(pointer: "/confirm", detail: "must be the tenant's slug")])
        }
        // Nil: another request deleted it since it was read.
        guard let matchingJobs = try await store.delete(id: id, slug: tenant.slug.rawValue) else {
            throw APIProblem.notFound()
        }
        keys.forget(tenantID: id)
        if !matchingJobs.isEmpty {
            let queue = try jobs.queue(for: "knowledge-sharing")
            await database.afterCommit { await queue.dispatch(matchingJobs) }
        }
        return .noContent(.init())
    }
}

extension Components.Schemas.AdminTenant {
    init(_ tenant: Tenant) {
        self.init(
            id: tenant.id.uuidString.lowercased(), slug: tenant.slug.rawValue, name: tenant.name,
            kind: Components.Schemas.TenantKind(rawValue: tenant.kind.rawValue) ?? .state, publicName: tenant.publicName,
            sharing: Components.Schemas.SharingPolicy(rawValue: tenant.sharing.rawValue) ?? .withinTenant,
            suppressionThreshold: tenant.suppressionThreshold, reportRetentionDays: tenant.reportRetentionDays,
            queueWeight: tenant.queueWeight, maxInFlight: tenant.maxInFlight,
            rateLimit: tenant.rateLimit, createdAt: tenant.createdAt, updatedAt: tenant.updatedAt)
    }
}

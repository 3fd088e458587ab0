import Foundation
import UnpodAPI
import UnpodCore

/// The telephony endpoints (issue 6) and call logs, through the generated client, answering the
/// document's own types. Lists return one page (`count` is the true total).
extension UnpodClient {
    public typealias Schemas = Components.Schemas

    /// One page of the organization's calls, newest first. Dates as the server reads them
    /// (`2026-11-30`, `2026-11-30T09:14:22Z`, …).
    public func callLogs(
        page: Int = 1, pageSize: Int = 20, startDate: String? = nil, endDate: String? = nil,
        callType: CallLog.CallType? = nil, callStatus: CallLog.CallStatus? = nil
    ) async throws -> Schemas.CallLogList {
        let query = Operations.ListCallLogs.Input.Query(
            page: page, pageSize: pageSize, startDate: startDate.map { .init(value1: $0) },
            endDate: endDate.map { .init(value1: $0) }, callType: callType, callStatus: callStatus)
        return try await call { try await api.listCallLogs(query: query, headers: .init(orgHandle: organization)).ok.body.json }
    }

    /// Reports a finished call; a retry of the same report returns the stored row.
    public func reportCallLog(_ request: Schemas.ReportCallLogRequest) async throws -> Schemas.CallLog {
        let output = try await call { try await api.reportCallLog(headers: .init(orgHandle: organization), body: .json(request)) }
        switch output {
        case .created(let created): return try created.body.json.data
        case .ok(let stored): return try stored.body.json.data
        default: return try output.created.body.json.data
        }
    }

    public func providerConfigurations(page: Int = 1, pageSize: Int = 20) async throws -> Schemas.ProviderConfigurationList {
        try await call {
            try await api.listProviderConfigurations(
                query: .init(page: page, pageSize: pageSize), headers: .init(orgHandle: organization)
            ).ok.body.json
        }
    }

    public func providerConfiguration(_ id: Int) async throws -> Schemas.ProviderConfiguration {
        try await call {
            try await api.getProviderConfiguration(path: .init(id: id), headers: .init(orgHandle: organization)).ok.body.json.data
        }
    }

    public func createProviderConfiguration(_ request: Schemas.ProviderConfigurationRequest) async throws
        -> Schemas.ProviderConfiguration
    {
        try await call {
            try await api.createProviderConfiguration(headers: .init(orgHandle: organization), body: .json(request)).created.body
                .json.data
        }
    }

    public func updateProviderConfiguration(_ id: Int, _ request: Schemas.ProviderConfigurationRequest) async throws
        -> Schemas.ProviderConfiguration
    {
        try await call {
            try await api.updateProviderConfiguration(
                path: .init(id: id), headers: .init(orgHandle: organization), body: .json(request)
            ).ok.body.json.data
        }
    }

    public func deleteProviderConfiguration(_ id: Int) async throws {
        _ = try await call {
            try await api.deleteProviderConfiguration(path: .init(id: id), headers: .init(orgHandle: organization)).noContent
        }
    }

    public func bridges(page: Int = 1, pageSize: Int = 20) async throws -> Schemas.BridgeList {
        try await call {
            try await api.listBridges(query: .init(page: page, pageSize: pageSize), headers: .init(orgHandle: organization)).ok
                .body.json
        }
    }

    public func bridge(_ slug: String) async throws -> Schemas.Bridge {
        try await call { try await api.getBridge(path: .init(slug: slug), headers: .init(orgHandle: organization)).ok.body.json.data }
    }

    public func createBridge(_ request: Schemas.CreateBridgeRequest) async throws -> Schemas.Bridge {
        try await call {
            try await api.createBridge(headers: .init(orgHandle: organization), body: .json(request)).created.body.json.data
        }
    }

    public func updateBridge(_ slug: String, _ request: Schemas.UpdateBridgeRequest) async throws -> Schemas.Bridge {
        try await call {
            try await api.updateBridge(path: .init(slug: slug), headers: .init(orgHandle: organization), body: .json(request)).ok
                .body.json.data
        }
    }

    public func deleteBridge(_ slug: String) async throws {
        _ = try await call { try await api.deleteBridge(path: .init(slug: slug), headers: .init(orgHandle: organization)).noContent }
    }

    public func connectProvider(_ slug: String, _ request: Schemas.BridgeProviderRequest) async throws
        -> Schemas.BridgeProviderResult
    {
        try await call {
            try await api.connectBridgeProvider(
                path: .init(slug: slug), headers: .init(orgHandle: organization), body: .json(request)
            ).ok.body.json.data
        }
    }

    public func disconnectProvider(_ slug: String, _ request: Schemas.BridgeProviderRequest) async throws
        -> Schemas.BridgeProviderResult
    {
        try await call {
            try await api.disconnectBridgeProvider(
                path: .init(slug: slug), headers: .init(orgHandle: organization), body: .json(request)
            ).ok.body.json.data
        }
    }

    public func numbers(includeAssigned: Bool = true, page: Int = 1, pageSize: Int = 20) async throws -> Schemas.NumberList {
        try await call {
            try await api.listNumbers(
                query: .init(includeAssigned: includeAssigned ? "true" : "false", page: page, pageSize: pageSize),
                headers: .init(orgHandle: organization)
            ).ok.body.json
        }
    }

    public func attachNumbers(_ request: Schemas.AttachNumbersRequest) async throws -> Schemas.AgentNumbersResult {
        try await call {
            try await api.attachNumbers(headers: .init(orgHandle: organization), body: .json(request)).created.body.json.data
        }
    }

    public func detachNumbers(_ numbers: [String]) async throws -> Schemas.AgentNumbersResult {
        try await call {
            try await api.detachNumbers(headers: .init(orgHandle: organization), body: .json(.init(numbers: numbers))).ok.body.json
                .data
        }
    }

    public func telephonyOverview() async throws -> [Schemas.NumberOverview] {
        try await call { try await api.telephonyOverview(headers: .init(orgHandle: organization)).ok.body.json.data }
    }

    public func trunks(page: Int = 1, pageSize: Int = 20) async throws -> Schemas.TrunkList {
        try await call {
            try await api.listTrunks(query: .init(page: page, pageSize: pageSize), headers: .init(orgHandle: organization)).ok
                .body.json
        }
    }

    public func trunk(_ id: Int) async throws -> Schemas.Trunk {
        try await call { try await api.getTrunk(path: .init(trunkId: id), headers: .init(orgHandle: organization)).ok.body.json.data }
    }

    public func createTrunk(_ request: Schemas.CreateTrunkRequest) async throws -> Schemas.Trunk {
        try await call {
            try await api.createTrunk(headers: .init(orgHandle: organization), body: .json(request)).created.body.json.data
        }
    }

    public func deleteTrunk(_ id: Int) async throws {
        _ = try await call { try await api.deleteTrunk(path: .init(trunkId: id), headers: .init(orgHandle: organization)).noContent }
    }

    public func attachTrunkNumbers(_ id: Int, _ request: Schemas.TrunkNumbersRequest) async throws -> Schemas.TrunkNumbersResult {
        try await call {
            try await api.attachTrunkNumbers(path: .init(trunkId: id), headers: .init(orgHandle: organization), body: .json(request))
                .created.body.json.data
        }
    }

    public func detachTrunkNumbers(_ id: Int, _ request: Schemas.TrunkNumbersRequest) async throws -> Schemas.TrunkNumbersResult {
        try await call {
            try await api.detachTrunkNumbers(path: .init(trunkId: id), headers: .init(orgHandle: organization), body: .json(request))
                .ok.body.json.data
        }
    }

    /// The audit log: the organization's (by `Org-Handle`), or the caller's own (`selfOnly`).
    public func auditLog(
        selfOnly: Bool = false, action: Operations.ListAuditEvents.Input.Query.ActionPayload? = nil, page: Int = 1,
        pageSize: Int = 20
    ) async throws -> Schemas.AuditEventList {
        try await call {
            try await api.listAuditEvents(
                query: .init(page: page, pageSize: pageSize, scope: selfOnly ? ._self : nil, action: action),
                headers: .init(orgHandle: orgHandle)
            ).ok.body.json
        }
    }

    /// `Org-Handle` as the generated operations take it (the credentials middleware sets the real
    /// one; an empty value is no handle, answered 400 like a missing one).
    var organization: String { orgHandle ?? "" }
}

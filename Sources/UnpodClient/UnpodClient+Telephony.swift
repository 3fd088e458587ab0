import Foundation
import UnpodCore

/// The telephony endpoints (issue 6), each as the server answers it. Lists return the first page
/// of up to `pageSize` items; `count` on the envelope-returning methods is the true total.
extension UnpodClient {
    /// One page of the organization's calls, newest first, with the true total in `count`.
    public func callLogs(
        page: Int = 1, pageSize: Int = 20, startDate: String? = nil, endDate: String? = nil,
        callType: CallLog.CallType? = nil, callStatus: CallLog.CallStatus? = nil
    ) async throws -> ListEnvelope<CallLog> {
        var query = paging(page, pageSize)
        if let startDate { query.append(("start_date", startDate)) }
        if let endDate { query.append(("end_date", endDate)) }
        if let callType { query.append(("call_type", callType.rawValue)) }
        if let callStatus { query.append(("call_status", callStatus.rawValue)) }
        return try await send("GET", "call-logs/", query: query, as: ListEnvelope<CallLog>.self)
    }

    public func providerConfigurations(page: Int = 1, pageSize: Int = 20) async throws -> ListEnvelope<ProviderConfiguration> {
        try await send("GET", "telephony/providers-configurations/", query: paging(page, pageSize), as: ListEnvelope<ProviderConfiguration>.self)
    }

    public func providerConfiguration(_ id: Int) async throws -> ProviderConfiguration {
        try await send("GET", "telephony/providers-configurations/\(id)/", as: ObjectEnvelope<ProviderConfiguration>.self).data
    }

    public func createProviderConfiguration(_ request: ProviderConfigurationRequest) async throws -> ProviderConfiguration {
        try await send("POST", "telephony/providers-configurations/", body: request, as: ObjectEnvelope<ProviderConfiguration>.self).data
    }

    public func updateProviderConfiguration(_ id: Int, _ request: ProviderConfigurationRequest) async throws -> ProviderConfiguration {
        try await send("PATCH", "telephony/providers-configurations/\(id)/", body: request, as: ObjectEnvelope<ProviderConfiguration>.self).data
    }

    public func deleteProviderConfiguration(_ id: Int) async throws {
        _ = try await exchange("DELETE", "telephony/providers-configurations/\(id)/", query: [], body: nil)
    }

    public func bridges(page: Int = 1, pageSize: Int = 20) async throws -> ListEnvelope<Bridge> {
        try await send("GET", "telephony/bridges/", query: paging(page, pageSize), as: ListEnvelope<Bridge>.self)
    }

    public func bridge(_ slug: String) async throws -> Bridge {
        try await send("GET", "telephony/bridges/\(slug)/", as: ObjectEnvelope<Bridge>.self).data
    }

    public func createBridge(_ request: CreateBridgeRequest) async throws -> Bridge {
        try await send("POST", "telephony/bridges/", body: request, as: ObjectEnvelope<Bridge>.self).data
    }

    public func updateBridge(_ slug: String, _ request: UpdateBridgeRequest) async throws -> Bridge {
        try await send("PATCH", "telephony/bridges/\(slug)/", body: request, as: ObjectEnvelope<Bridge>.self).data
    }

    public func deleteBridge(_ slug: String) async throws {
        _ = try await exchange("DELETE", "telephony/bridges/\(slug)/", query: [], body: nil)
    }

    public func connectProvider(_ slug: String, _ request: BridgeProviderRequest) async throws -> BridgeProviderResult {
        try await send("POST", "telephony/bridges/\(slug)/connect-provider/", body: request, as: ObjectEnvelope<BridgeProviderResult>.self).data
    }

    public func disconnectProvider(_ slug: String, _ request: BridgeProviderRequest) async throws -> BridgeProviderResult {
        try await send("POST", "telephony/bridges/\(slug)/disconnect-provider/", body: request, as: ObjectEnvelope<BridgeProviderResult>.self).data
    }

    public func numbers(includeAssigned: Bool = true, page: Int = 1, pageSize: Int = 20) async throws -> ListEnvelope<PhoneNumber> {
        try await send(
            "GET", "telephony/numbers/", query: paging(page, pageSize) + [("include_assigned", includeAssigned ? "true" : "false")],
            as: ListEnvelope<PhoneNumber>.self)
    }

    public func attachNumbers(_ request: AttachNumbersRequest) async throws -> AgentNumbersResult {
        try await send("POST", "telephony/numbers/attach/", body: request, as: ObjectEnvelope<AgentNumbersResult>.self).data
    }

    public func detachNumbers(_ numbers: [String]) async throws -> AgentNumbersResult {
        try await send("POST", "telephony/numbers/detach/", body: DetachNumbersRequest(numbers: numbers), as: ObjectEnvelope<AgentNumbersResult>.self).data
    }

    public func telephonyOverview() async throws -> [NumberOverview] {
        try await send("GET", "telephony/overview/", as: ListEnvelope<NumberOverview>.self).data
    }

    public func trunks(page: Int = 1, pageSize: Int = 20) async throws -> ListEnvelope<Trunk> {
        try await send("GET", "telephony/trunks/", query: paging(page, pageSize), as: ListEnvelope<Trunk>.self)
    }

    public func trunk(_ id: Int) async throws -> Trunk {
        try await send("GET", "telephony/trunks/\(id)/", as: ObjectEnvelope<Trunk>.self).data
    }

    public func createTrunk(_ request: CreateTrunkRequest) async throws -> Trunk {
        try await send("POST", "telephony/trunks/", body: request, as: ObjectEnvelope<Trunk>.self).data
    }

    public func deleteTrunk(_ id: Int) async throws {
        _ = try await exchange("DELETE", "telephony/trunks/\(id)/", query: [], body: nil)
    }

    public func attachTrunkNumbers(_ id: Int, _ request: TrunkNumbersRequest) async throws -> TrunkNumbersResult {
        try await send("POST", "telephony/trunks/\(id)/attach-numbers/", body: request, as: ObjectEnvelope<TrunkNumbersResult>.self).data
    }

    public func detachTrunkNumbers(_ id: Int, _ request: TrunkNumbersRequest) async throws -> TrunkNumbersResult {
        try await send("POST", "telephony/trunks/\(id)/detach-numbers/", body: request, as: ObjectEnvelope<TrunkNumbersResult>.self).data
    }

    /// Reports a finished call; a retry of the same report returns the stored row.
    public func reportCallLog(_ request: ReportCallLogRequest) async throws -> CallLog {
        try await send("POST", "call-logs/", body: request, as: ObjectEnvelope<CallLog>.self).data
    }

    public func auditLog(selfOnly: Bool = false, action: String? = nil, page: Int = 1, pageSize: Int = 20) async throws
        -> ListEnvelope<AuditEvent>
    {
        var query = paging(page, pageSize)
        if selfOnly { query.append(("scope", "self")) }
        if let action { query.append(("action", action)) }
        return try await send("GET", "audit-log/", query: query, as: ListEnvelope<AuditEvent>.self)
    }

    func paging(_ page: Int, _ pageSize: Int) -> [(String, String)] {
        [("page", "\(page)"), ("page_size", "\(pageSize)")]
    }
}

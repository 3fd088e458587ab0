import UnpodCore

/// What each operation of the generated server needs beyond a valid key: the one table
/// ``AccessMiddleware`` reads. Policies are named for what they protect, so an entry reads as a
/// rule (decisions.md sections 1 and 2).
enum OperationAccess {
    /// `Org-Handle` not read; `read` for GET, `write` otherwise (`GET /organizations/` is how handles are found).
    static let anyKey = AccessPolicy(organization: .notUsed, scope: .byMethod)
    /// Key management: the `admin` scope whatever the method; no organization.
    static let keyAdmin = AccessPolicy(organization: .notUsed, scope: .always(.admin))
    /// Global catalogues: any key; `Org-Handle` checked when sent.
    static let catalogue = AccessPolicy(organization: .optional, scope: .byMethod)
    /// An organization's own data: `Org-Handle` required; writes need an owner or admin.
    static let organizationData = AccessPolicy(organization: .required, scope: .byMethod, minimumWriteRole: .admin)
    /// A resource found by its path (space token, agent handle), whose organization the handler
    /// checks: `Org-Handle` optional and, when sent, must match; writes need an owner or admin.
    static let organizationResource = AccessPolicy(organization: .optional, scope: .byMethod, minimumWriteRole: .admin)
    /// Anything a member does in its organization: `Org-Handle` required; any role may write.
    static let organizationMember = AccessPolicy(organization: .required, scope: .byMethod)
    /// Read by `Org-Handle` or about the caller itself (the handler decides which, e.g. `scope=self`).
    static let organizationOrSelf = AccessPolicy(organization: .optional, scope: .byMethod)

    static let policies: [String: AccessPolicy] = [
        "listOrganizations": anyKey,
        "listAPIKeys": keyAdmin,
        "createAPIKey": keyAdmin,
        "deleteAPIKey": keyAdmin,
        "rotateAPIKey": keyAdmin,
        "listProviders": catalogue,
        "listVoiceProfiles": catalogue,
        "getVoiceProfile": catalogue,
        "listCallLogs": organizationData,
        "reportCallLog": organizationData,
        "listAuditEvents": organizationOrSelf,
        "listSpaces": organizationData,
        "getSpace": organizationResource,
        "listAgents": organizationData,
        "listAgentTasks": organizationResource,
        "listAgentExecutions": organizationResource,
        "listSpaceTasks": organizationResource,
        "listRuns": organizationResource,
        "listRunTasks": organizationResource,
        "getAnalytics": organizationData,
        "listInvoices": organizationData,
        "listBridges": organizationData,
        "createBridge": organizationData,
        "getBridge": organizationData,
        "updateBridge": organizationData,
        "deleteBridge": organizationData,
        "connectBridgeProvider": organizationData,
        "disconnectBridgeProvider": organizationData,
        "listProviderConfigurations": organizationData,
        "createProviderConfiguration": organizationData,
        "getProviderConfiguration": organizationData,
        "updateProviderConfiguration": organizationData,
        "deleteProviderConfiguration": organizationData,
        "listTrunks": organizationData,
        "createTrunk": organizationData,
        "getTrunk": organizationData,
        "deleteTrunk": organizationData,
        "attachTrunkNumbers": organizationData,
        "detachTrunkNumbers": organizationData,
        "listNumbers": organizationData,
        "attachNumbers": organizationData,
        "detachNumbers": organizationData,
        "telephonyOverview": organizationData,
        "mintAccessToken": organizationMember,
        "createTasks": organizationResource,
        "createTasksAlternate": organizationResource,
        "createSessionToken": organizationMember,
        "listCalls": organizationMember,
        "getCall": organizationMember,
        "hangupCall": organizationMember,
        "endSession": organizationMember,
        "createCall": organizationMember,
        "listPipes": organizationData,
        "createPipe": organizationData,
        "getPipe": organizationData,
        "updatePipe": organizationData,
        "deletePipe": organizationData,
        "createEmbeddedAgent": organizationData,
        "listSessions": organizationMember,
        "getSession": organizationMember,
        "listRecordings": organizationMember,
        "listTranscripts": organizationMember,
        "listSpeechAgents": organizationData,
        "createSpeechAgent": organizationData,
        "getSpeechAgent": organizationData,
        "updateSpeechAgent": organizationData,
        "deleteSpeechAgent": organizationData,
        "addSpeechAgentVoice": organizationData,
        "updateSpeechAgentVoice": organizationData,
        "removeSpeechAgentVoice": organizationData,
        "listAnalyticsBlocks": organizationData,
        "createAnalyticsBlock": organizationData,
        "listAnalyticsTemplates": organizationData,
        "getAnalyticsBlock": organizationData,
        "updateAnalyticsBlock": organizationData,
        "deleteAnalyticsBlock": organizationData,
        "attachAnalyticsBlock": organizationData,
        "detachAnalyticsBlock": organizationData,
        "listAnalyticsBlockResults": organizationData,
        "listAnalyticsResults": organizationData,
        "listSessionAnalytics": organizationData,
        "listCallAnalytics": organizationData,
        "createManagementAPIKey": keyAdmin,
        "listManagementTrunks": organizationData,
        "createManagementTrunk": organizationData,
        "deleteManagementTrunk": organizationData,
        "transferSession": organizationMember,
        "mergeSessions": organizationMember,
        "listTools": organizationData,
        "listCustomTools": organizationData,
        "putCustomTool": organizationData,
        "deleteCustomTool": organizationData,
        "attachTool": organizationData,
        "detachTool": organizationData,
        "listWebhookEndpoints": organizationData,
        "createWebhookEndpoint": organizationData,
        "getWebhookEndpoint": organizationData,
        "updateWebhookEndpoint": organizationData,
        "deleteWebhookEndpoint": organizationData,
        "rotateWebhookSecret": organizationData,
        "listWebhookDeliveries": organizationData,
        "listWebhookAttempts": organizationData,
        "resendWebhookMessage": organizationData,
        "replayWebhooks": organizationData,
        "listDomainDictionaries": organizationData,
        "getDomainDictionary": organizationData,
        "putDomainDictionary": organizationData,
        "deleteDomainDictionary": organizationData,
        "attachDomainDictionary": organizationData,
        "detachDomainDictionary": organizationData,
        "cloneDomainDictionary": organizationData,
        "listSpeechNumbers": organizationData,
        "syncSpeechNumbers": organizationData,
        "releaseSpeechNumber": organizationData,
        "attachSpeechNumber": organizationData,
        "moveSpeechNumber": organizationData,
        "detachSpeechNumber": organizationData,
        "listManagementNumbers": organizationData,
        "changeManagementNumber": organizationData,
        "releaseManagementNumber": organizationData,
    ]

    static func policy(for operationID: String) -> AccessPolicy? {
        policies[operationID]
    }
}

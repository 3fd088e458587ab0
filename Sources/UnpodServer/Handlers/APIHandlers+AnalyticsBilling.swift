import UnpodAPI
import UnpodCore
import UnpodPersistence

/// ANA-1 `GET /organisation/analytics/[?space_token=…]` (platform-api.md 2.7: both documented
/// shapes in one `data`, from the organization's contact spaces or one space) and BIL-1
/// `GET /organisation/billing/` (2.8: invoices newest first, under both `data` and `results`).
extension APIHandlers {
    func getAnalytics(_ input: Operations.GetAnalytics.Input) async throws -> Operations.GetAnalytics.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        var spaceRowID: Int?
        if let token = input.query.spaceToken {
            guard let space = try await store.space(token: token), space.orgID == organization.id else {
                throw WorkspaceLookup.spaceNotFound
            }
            spaceRowID = space.rowID
        }
        let analytics = try await store.analytics(orgID: organization.id, spaceRowID: spaceRowID)
        return .ok(
            .init(body: .json(.init(statusCode: ._200, message: "Analytics fetched successfully", data: .init(analytics)))))
    }

    func listInvoices(_ input: Operations.ListInvoices.Input) async throws -> Operations.ListInvoices.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        let page = try await store.invoices(orgID: organization.id, page: paging.page, pageSize: paging.pageSize)
        let invoices = try page.items.map(Components.Schemas.Invoice.init)
        return .ok(
            .init(
                body: .json(
                    .init(
                        count: page.count, statusCode: ._200, message: "Billing data fetched successfully",
                        data: invoices, results: invoices))))
    }
}

extension Components.Schemas.Analytics {
    init(_ analytics: Analytics) {
        let calls = analytics.callAnalytics
        let status = analytics.callStatus
        let breakdown = analytics.taskStatusBreakdown
        self.init(
            callAnalytics: .init(
                totalCalls: calls.totalCalls, interested: calls.interested, callBack: calls.callBack,
                sendDetails: calls.sendDetails, notInterested: calls.notInterested, notConnected: calls.notConnected,
                failed: calls.failed, avgSuccessScore: calls.avgSuccessScore),
            callStatus: .init(
                totalTasks: status.totalTasks, completed: status.completed, failed: status.failed,
                pending: status.pending, inProgress: status.inProgress, successRate: status.successRate),
            totalCalls: analytics.totalCalls, completedCalls: analytics.completedCalls,
            failedCalls: analytics.failedCalls, avgDurationSeconds: analytics.avgDurationSeconds,
            totalTasks: analytics.totalTasks,
            taskStatusBreakdown: .init(
                pending: breakdown.pending, running: breakdown.running, completed: breakdown.completed,
                failed: breakdown.failed))
    }
}

extension Components.Schemas.Invoice {
    /// An invoice as stored; a status or unit the document does not name is a server bug (the
    /// store writes only the documented ones), answered as such rather than sent.
    init(_ invoice: Invoice) throws {
        guard let status = StatusPayload(rawValue: invoice.status),
            let unit = BillingUnitPayload(rawValue: invoice.billingUnit)
        else { throw APIError.internalError }
        self.init(
            id: invoice.id, invoiceNumber: invoice.invoiceNumber, amount: invoice.amount, taxAmount: invoice.taxAmount,
            currency: invoice.currency, status: status, chargeType: invoice.chargeType, invoiceDate: invoice.invoiceDate,
            dueDate: invoice.dueDate, paymentAt: .init(invoice.paymentAt), period: invoice.period, calls: invoice.calls,
            billableSeconds: Int(invoice.billableSeconds), billedUnits: Int(invoice.billedUnits), billingUnit: unit)
    }
}

import Foundation
import Logging
import ServiceLifecycle
import UnpodCore
import UnpodPersistence

/// Closes each organization's invoice for a month once the month has ended (issue 9, item 6): at
/// start and then every `interval`. Several nodes may run it; the database's unique period per
/// organization lets only one invoice through.
struct InvoiceCloser: Service {
    let store: SQLStore
    let interval: Duration
    let logger: Logger
    let health: BackgroundTaskHealth

    func run() async throws {
        await cancelWhenGracefulShutdown { await closeMonths() }
    }

    private func closeMonths() async {
        while !Task.isCancelled {
            do {
                for invoice in try await store.closeEndedMonth() {
                    logger.info("invoice closed", metadata: ["invoice": "\(invoice.invoiceNumber)", "period": "\(invoice.period)"])
                }
                health.succeeded()
            } catch {
                health.failed()
                logger.warning("could not close last month's invoices", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}

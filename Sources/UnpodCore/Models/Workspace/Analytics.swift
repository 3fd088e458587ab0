import Foundation

/// ANA-1's `data`: both documented shapes at once (G-22; their keys do not collide).
public struct Analytics: Sendable, Equatable {
    public struct CallAnalytics: Sendable, Equatable {
        public var totalCalls: Int
        public var interested: Int
        public var callBack: Int
        public var sendDetails: Int
        public var notInterested: Int
        public var notConnected: Int
        public var failed: Int
        public var avgSuccessScore: Double
    }

    public struct CallStatus: Sendable, Equatable {
        public var totalTasks: Int
        public var completed: Int
        public var failed: Int
        public var pending: Int
        public var inProgress: Int
        /// Completed out of finished tasks, in percent (two decimals); 0 when none has finished.
        public var successRate: Double
    }

    public struct StatusBreakdown: Sendable, Equatable {
        public var pending: Int
        public var running: Int
        public var completed: Int
        public var failed: Int
    }

    // Shape A (`analytics.mdx`).
    public var callAnalytics: CallAnalytics
    public var callStatus: CallStatus
    // Shape B (`get-analytics.mdx`).
    public var totalCalls: Int
    public var completedCalls: Int
    public var failedCalls: Int
    public var avgDurationSeconds: Double
    public var totalTasks: Int
    public var taskStatusBreakdown: StatusBreakdown

    /// Counts per task status and per outcome bucket of completed tasks, and the sums behind the averages.
    public struct Counts: Sendable, Equatable {
        public var byStatus: [CallTask.Status: Int] = [:]
        public var byOutcome: [String: Int] = [:]
        public var scoreSum: Double = 0
        public var scored: Int = 0
        public var durationSum: Int64 = 0
        public var timed: Int = 0

        public init() {}
    }

    /// Both shapes from the counts; every average and rate is 0, not a division by zero, when
    /// there is nothing to average.
    public init(_ counts: Counts) {
        func count(_ status: CallTask.Status) -> Int { counts.byStatus[status] ?? 0 }
        func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
        let (pending, running, completed, failed) = (count(.pending), count(.running), count(.completed), count(.failed))
        let finished = completed + failed
        let total = pending + running + finished
        callAnalytics = CallAnalytics(
            totalCalls: finished, interested: counts.byOutcome["interested"] ?? 0, callBack: counts.byOutcome["call_back"] ?? 0,
            sendDetails: counts.byOutcome["send_details"] ?? 0, notInterested: counts.byOutcome["not_interested"] ?? 0,
            notConnected: counts.byOutcome["not_connected"] ?? 0, failed: failed,
            avgSuccessScore: counts.scored == 0 ? 0 : rounded(counts.scoreSum / Double(counts.scored)))
        callStatus = CallStatus(
            totalTasks: total, completed: completed, failed: failed, pending: pending, inProgress: running,
            successRate: finished == 0 ? 0 : rounded(Double(completed) * 100 / Double(finished)))
        totalCalls = finished
        completedCalls = completed
        failedCalls = failed
        avgDurationSeconds = counts.timed == 0 ? 0 : rounded(Double(counts.durationSum) / Double(counts.timed))
        totalTasks = total
        taskStatusBreakdown = StatusBreakdown(pending: pending, running: running, completed: completed, failed: failed)
    }
}

import UnpodAPI
import UnpodCore
import UnpodPersistence

/// A space's tasks and runs (platform-api.md 2.4 and 2.5): TSK-1, RUN-1 and RUN-2. A space token
/// finds its organization; `Org-Handle`, when sent, must name it. (Task creation, TSK-2 and
/// TSK-2b, is still ``TaskController``'s.)
extension APIHandlers {
    func listSpaceTasks(_ input: Operations.ListSpaceTasks.Input) async throws -> Operations.ListSpaceTasks.Output {
        let space = try await WorkspaceLookup.space(
            token: input.path.spaceToken, context: try APIRequestScope.current(), store: store)
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        let page = try await store.tasks(spaceRowID: space.rowID, page: paging.page, pageSize: paging.pageSize)
        return .ok(.init(body: .json(Self.taskList(page))))
    }

    func listRuns(_ input: Operations.ListRuns.Input) async throws -> Operations.ListRuns.Output {
        let space = try await WorkspaceLookup.space(
            token: input.path.spaceToken, context: try APIRequestScope.current(), store: store)
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        let page = try await store.runs(spaceRowID: space.rowID, page: paging.page, pageSize: paging.pageSize)
        return .ok(
            .init(
                body: .json(
                    .init(
                        count: page.count, statusCode: ._200, message: "Runs Fetched Successfully",
                        data: page.items.map(Components.Schemas.Run.init)))))
    }

    func listRunTasks(_ input: Operations.ListRunTasks.Input) async throws -> Operations.ListRunTasks.Output {
        let space = try await WorkspaceLookup.space(
            token: input.path.spaceToken, context: try APIRequestScope.current(), store: store)
        let runID = input.path.runId
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        guard
            (1...64).contains(runID.utf8.count),
            let page = try await store.tasks(runID: runID, spaceRowID: space.rowID, page: paging.page, pageSize: paging.pageSize)
        else { throw APIError.notFound("Run not found.") }
        return .ok(.init(body: .json(Self.taskList(page))))
    }
}

extension Components.Schemas.Task {
    init(_ task: CallTask) {
        self.init(
            _id: task.storageID, threadId: task.threadID,
            userInfo: .init(email: task.userInfo.email, fullName: task.userInfo.fullName), taskId: task.taskID,
            runId: task.runID, task: .init(objective: task.task.objective), input: task.input, output: task.output,
            attachments: task.attachments, assignee: task.assignee, status: task.status,
            executionType: task.executionType, refId: .init(task.refID), runMode: task.runMode,
            failureCount: task.failureCount, lastFailureReason: .init(task.lastFailureReason),
            retryAttempt: task.retryAttempt, lastStatusChange: task.lastStatusChange,
            scheduledTimestamp: .init(task.scheduledTimestamp), created: task.created, modified: task.modified)
    }
}

extension Components.Schemas.Run {
    init(_ run: Run) {
        self.init(
            runId: run.runID, collectionRef: run.collectionRef, runMode: run.runMode, status: run.status,
            created: run.created, modified: run.modified)
    }
}

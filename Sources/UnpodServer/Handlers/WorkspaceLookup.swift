import UnpodCore
import UnpodPersistence

/// Spaces and agents found by the token or handle in a path, if the caller may see them
/// (decisions.md section 2: those endpoints take the organization from the resource); anything
/// else is answered as an unknown one.
enum WorkspaceLookup {
    static let spaceNotFound = APIError.notFound("Space not found.")

    static func space(token: String, context: AppRequestContext, store: SQLStore) async throws -> SpaceRecord {
        guard let space = try await store.space(token: token), context.membership(owning: space.orgID) != nil else {
            throw spaceNotFound
        }
        return space
    }

    /// The agent, or `notFound` (AGT-2 and AGT-3 document different 404 bodies).
    static func agent(handle: String, context: AppRequestContext, store: SQLStore, notFound: APIError) async throws
        -> AgentRecord
    {
        guard let agent = try await store.agent(handle: handle), context.membership(owning: agent.orgID) != nil else {
            throw notFound
        }
        return agent
    }
}

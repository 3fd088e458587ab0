import Foundation
import Hummingbird
import UnpodCore
import UnpodPersistence

/// Organization settings: the handle to copy, the members; owners and admins manage members.
///
/// Who may do what: owners change anyone's role (including to owner) and remove anyone; admins
/// add members and admins and change or remove them, but cannot touch an owner or make one.
/// The store refuses to take away the last owner, whoever asks.
extension DashboardController {
    struct SettingsContent {
        struct Row {
            let email: String
            let role: String
            let since: String
            let isSelf: Bool
            let manageable: Bool
            let roles: [Choice]
            let roleAction: String
            let removeAction: String
        }

        let csrf: String
        let name: String
        let handle: String
        let role: String
        let canManage: Bool
        let members: [Row]
        let addRoles: [Choice]
        let notice: String?
    }

    @Sendable func settingsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try await visit(request, context: context)
        let membership = try visit.requireOrganization()
        let members = try await store.members(orgID: membership.organization.id)
        let grantable = Self.grantableRoles(by: membership.role)
        let content = SettingsContent(
            csrf: visit.session.csrfToken, name: membership.organization.name, handle: membership.organization.domainHandle,
            role: membership.role.rawValue, canManage: visit.managesOrganization,
            members: members.map { member in
                SettingsContent.Row(
                    email: member.email, role: member.role.rawValue, since: DashboardFormat.date(member.since),
                    isSelf: member.userID == visit.user.id,
                    manageable: visit.managesOrganization && Self.mayManage(member.role, as: membership.role),
                    roles: grantable.map { .init(value: $0.rawValue, selected: $0 == member.role) },
                    roleAction: "/dashboard/settings/members/\(member.userID)/role",
                    removeAction: "/dashboard/settings/members/\(member.userID)/remove")
            },
            addRoles: grantable.map { .init(value: $0.rawValue, selected: $0 == .member) },
            notice: DashboardNotice.text(in: request.uri.queryParameters["notice"].map(String.init)))
        return pages.page("settings", content, chrome: visit.chrome("Organization settings", page: "settings"))
    }

    @Sendable func addMember(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, form) = try await formVisit(request, context: context)
        let membership = try requireManager(visit)
        let role = try Self.role(form, grantableBy: membership.role)
        let email = try form.required("email", label: "The member's email")
        guard let user = try await store.user(email: email) else {
            throw DashboardError.badRequest("No user has the email \(email). An operator creates users with unpod users create.")
        }
        let members = try await store.members(orgID: membership.organization.id)
        guard !members.contains(where: { $0.userID == user.id }) else {
            throw DashboardError.badRequest("\(user.email) is already a member. Change their role in the table instead.")
        }
        try await store.setMembership(userID: user.id, orgID: membership.organization.id, role: role, actor: visit.actor)
        authChanged()
        return Self.redirect(visit.link("settings"), notice: .memberAdded)
    }

    @Sendable func changeRole(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, form) = try await formVisit(request, context: context)
        let membership = try requireManager(visit)
        let target = try await member(context, in: membership, managedBy: membership.role)
        let role = try Self.role(form, grantableBy: membership.role)
        try await store.setMembership(userID: target.userID, orgID: membership.organization.id, role: role, actor: visit.actor)
        authChanged()
        return Self.redirect(visit.link("settings"), notice: .roleChanged)
    }

    @Sendable func removeMember(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, _) = try await formVisit(request, context: context)
        let membership = try requireManager(visit)
        let target = try await member(context, in: membership, managedBy: membership.role)
        try await store.removeMembership(userID: target.userID, orgID: membership.organization.id, actor: visit.actor)
        authChanged()
        // Someone who removed themselves can no longer see this organization's settings.
        if target.userID == visit.user.id { throw DashboardError.redirect("/dashboard/hub") }
        return Self.redirect(visit.link("settings"), notice: .memberRemoved)
    }

    func requireManager(_ visit: DashboardVisit) throws -> Membership {
        let membership = try visit.requireOrganization()
        guard membership.role >= .admin else {
            throw DashboardError.forbidden("Only owners and admins of \(membership.organization.domainHandle) manage its members.")
        }
        return membership
    }

    private func member(_ context: AppRequestContext, in membership: Membership, managedBy role: Role) async throws -> Member {
        guard let userID = Int(try context.parameters.require("user_id")),
            let member = try await store.members(orgID: membership.organization.id).first(where: { $0.userID == userID })
        else { throw DashboardError.notFound("No such member.") }
        guard Self.mayManage(member.role, as: role) else {
            throw DashboardError.forbidden("Only an owner changes or removes an owner.")
        }
        return member
    }

    private static func grantableRoles(by role: Role) -> [Role] {
        role == .owner ? Role.allCases : Role.allCases.filter { $0 < .owner }
    }

    private static func mayManage(_ target: Role, as role: Role) -> Bool {
        role == .owner || target < .owner
    }

    private static func role(_ form: FormFields, grantableBy granter: Role) throws -> Role {
        let allowed = grantableRoles(by: granter)
        guard let role = form["role"].flatMap(Role.init(rawValue:)), allowed.contains(role) else {
            throw DashboardError.forbidden("Pick a role you may give: \(allowed.map(\.rawValue).joined(separator: ", ")).")
        }
        return role
    }
}

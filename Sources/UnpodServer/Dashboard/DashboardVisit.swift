import Foundation
import UnpodCore
import UnpodPersistence

/// One request of a signed-in user: who, their organizations, the one the page is about.
struct DashboardVisit {
    let token: String
    let session: DashboardSession
    let memberships: [Membership]
    /// The organization picked with `?org=` (or the form's `org`), else the user's first; nil for
    /// a user who belongs to none yet.
    let current: Membership?
    /// Who the audit log says made a change from this visit.
    let actor: AuditActor

    var user: User { session.user }

    /// The current organization, for pages about one.
    func requireOrganization() throws -> Membership {
        guard let current else {
            throw DashboardError.badRequest("You are not a member of any organization yet. Ask an owner to add you.")
        }
        return current
    }

    /// Owners and admins manage members and see the organization's security log.
    var managesOrganization: Bool { (current?.role ?? .member) >= .admin }

    /// A dashboard path with the current organization kept in `?org=`.
    func link(_ page: String, _ query: String = "") -> String {
        var parameters = current.map { ["org=\($0.organization.domainHandle)"] } ?? []
        if !query.isEmpty { parameters.append(query) }
        return "/dashboard/\(page)" + (parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&"))
    }

    /// The layout's sidebar, switcher and sign-out form, with `page` marked active.
    func chrome(_ title: String, page: String, notice: String? = nil) -> Chrome {
        var chrome = Chrome(title: title)
        chrome.signedIn = true
        chrome.email = user.email
        chrome.csrf = session.csrfToken
        chrome.currentPath = "/dashboard/\(page)"
        chrome.notice = notice
        chrome.nav = DashboardIcons.sidebar.map { item in
            Chrome.NavItem(id: item.page, label: item.label, href: link(item.page), icon: item.icon, active: item.page == page)
        }
        chrome.organizations = memberships.map {
            Chrome.OrganizationOption(
                handle: $0.organization.domainHandle, name: $0.organization.name,
                selected: $0.organization.id == current?.organization.id)
        }
        return chrome
    }
}

/// The fixed messages a page shows after a form redirected to it (`?notice=`): the text never comes
/// from the request, so a link cannot make the dashboard say something else.
enum DashboardNotice: String {
    case keyDeleted = "key_deleted"
    case memberAdded = "member_added"
    case roleChanged = "role_changed"
    case memberRemoved = "member_removed"
    case passwordChanged = "password_changed"
    case signedOut = "signed_out"
    case spaceCreated = "space_created"
    case spaceArchived = "space_archived"
    case spaceUpdated = "space_updated"
    case agentCreated = "agent_created"
    case agentChanged = "agent_changed"
    case webhookDeleted = "webhook_deleted"
    case webhookChanged = "webhook_changed"
    case webhookQueued = "webhook_queued"

    var text: String {
        switch self {
        case .keyDeleted: "The key was deleted. Requests that use it now get 401 Invalid token."
        case .memberAdded: "The member was added."
        case .roleChanged: "The role was changed."
        case .memberRemoved: "The member was removed."
        case .passwordChanged: "Your password was changed. Your other sessions were signed out."
        case .signedOut: "You are signed out."
        case .spaceCreated: "The space was created. Its token is in the table: POST its tasks to /spaces/TOKEN/tasks/."
        case .spaceArchived: "The space was archived: the API no longer shows it; its runs stay in analytics."
        case .spaceUpdated: "The space was changed."
        case .agentCreated: "The agent was created."
        case .agentChanged: "The agent was changed."
        case .webhookDeleted: "The endpoint was deleted with its delivery history."
        case .webhookChanged: "The endpoint was changed."
        case .webhookQueued: "Queued: the endpoint gets it within a second."
        }
    }

    /// The notice a request's `?notice=` names, if it is one of these.
    static func text(in query: String?) -> String? {
        query.flatMap { DashboardNotice(rawValue: $0)?.text }
    }
}

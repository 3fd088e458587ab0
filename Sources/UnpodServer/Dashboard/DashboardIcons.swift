/// The sidebar's entries and their icons: small inline SVGs (`Resources/Dashboard/icons/`, no icon
/// font or image fetched from anywhere), drawn with the text colour so the active entry's colour
/// carries over.
enum DashboardIcons {
    struct Entry {
        let page: String
        let label: String
        let icon: String

        init(page: String, label: String) {
            self.page = page
            self.label = label
            self.icon = DashboardResources.text(page, "svg", in: "Dashboard/icons")
        }
    }

    static let sidebar: [Entry] = [
        Entry(page: "hub", label: "Hub"),
        Entry(page: "api-keys", label: "Api Keys"),
        Entry(page: "spaces", label: "Spaces"),
        Entry(page: "agents", label: "Agents"),
        Entry(page: "analytics", label: "Analytics"),
        Entry(page: "invoices", label: "Invoices"),
        Entry(page: "bridges", label: "Bridges"),
        Entry(page: "numbers", label: "Numbers"),
        Entry(page: "trunks", label: "Trunks"),
        Entry(page: "calls", label: "Calls"),
        Entry(page: "call-logs", label: "Call logs"),
        Entry(page: "webhooks", label: "Webhooks"),
        Entry(page: "settings", label: "Settings"),
        Entry(page: "security-log", label: "Security log"),
        Entry(page: "password", label: "Password"),
    ]
}

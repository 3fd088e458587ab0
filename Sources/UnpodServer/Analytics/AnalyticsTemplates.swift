import UnpodCore

/// The built-in blocks a user can start from (`GET analytics-blocks/templates`,
/// `POST analytics-blocks?from_template=ID`): the three questions most voice agents are asked after
/// a call. A block made from one keeps its `template_id`.
enum AnalyticsTemplates {
    struct Template: Sendable {
        let id: String
        let description: String
        let definition: AnalyticsBlockDefinition
    }

    static let all: [Template] = [
        Template(
            id: "lead_qualification", description: "Whether the caller is a lead worth following up, with budget, authority, need and timeline.",
            definition: AnalyticsBlockDefinition(
                name: "Lead qualification",
                prompt: "You review sales calls. Decide whether the caller is a qualified lead (budget, authority, need, timeline).",
                fields: [
                    AnalyticsField(name: "budget_usd", type: .integer, description: "The caller's stated budget in US dollars, 0 if not said"),
                    AnalyticsField(name: "is_decision_maker", type: .boolean, description: "Whether the caller can decide the purchase"),
                    AnalyticsField(name: "need", type: .string, description: "What the caller needs, in a sentence"),
                    AnalyticsField(
                        name: "timeline", type: .choice, description: "When the caller means to buy",
                        choices: ["now", "this_quarter", "later", "unknown"]),
                ],
                summaryDescription: "Who called, what they need and what was agreed",
                successDescription: "True when the caller is a qualified lead", templateID: "lead_qualification")),
        Template(
            id: "customer_satisfaction", description: "How satisfied the caller was, why, and whether the issue was resolved.",
            definition: AnalyticsBlockDefinition(
                name: "Customer satisfaction",
                prompt: "You review support calls. Judge how satisfied the caller was and whether their issue was resolved.",
                fields: [
                    AnalyticsField(name: "satisfaction", type: .integer, description: "From 1 (very unhappy) to 5 (very happy)"),
                    AnalyticsField(
                        name: "sentiment", type: .choice, description: "The caller's overall tone", choices: ["positive", "neutral", "negative"]),
                    AnalyticsField(name: "issue_resolved", type: .boolean, description: "Whether the caller's issue was resolved on the call"),
                    AnalyticsField(name: "complaints", type: .strings, description: "Each complaint the caller made"),
                ],
                summaryDescription: "The caller's issue and how the call handled it",
                successDescription: "True when the issue was resolved and the caller was satisfied", templateID: "customer_satisfaction")),
        Template(
            id: "appointment_booking", description: "Whether an appointment was booked, for when, and what for.",
            definition: AnalyticsBlockDefinition(
                name: "Appointment booking",
                prompt: "You review scheduling calls. Find whether an appointment was booked and its details.",
                fields: [
                    AnalyticsField(name: "booked", type: .boolean, description: "Whether an appointment was booked"),
                    AnalyticsField(name: "slot", type: .string, description: "The booked date and time as said, empty if none"),
                    AnalyticsField(name: "purpose", type: .string, description: "What the appointment is for"),
                    AnalyticsField(
                        name: "outcome", type: .choice, description: "How the booking ended",
                        choices: ["booked", "rescheduled", "cancelled", "declined", "no_answer"]),
                ],
                summaryDescription: "What was asked and what was booked",
                successDescription: "True when an appointment was booked", templateID: "appointment_booking")),
    ]

    static func named(_ id: String) -> Template? { all.first { $0.id == id } }
}

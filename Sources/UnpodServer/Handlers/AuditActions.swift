/// Every action the audit log records, as `GET /audit-log/?action=` and the dashboard's filter take them.
enum AuditActions {
    static let all: Set<String> = [
        "api_key.created", "api_key.rotated", "api_key.revoked", "api_key.used_after_rotation", "user.created",
        "user.deactivated", "user.activated", "user.password_changed", "user.signed_in", "user.signed_out", "organization.created", "membership.added",
        "membership.role_changed", "membership.removed", "provider_configuration.created",
        "provider_configuration.updated", "provider_configuration.deleted", "number.added", "number.released", "number.attached",
        "number.detached",
        "trunk.created", "trunk.deleted", "trunk.numbers_attached", "trunk.numbers_detached", "call_log.reported", "call_log.samples_added", "access_token.minted", "room.participant_removed",
        "space.created", "space.updated", "space.archived", "agent.created", "agent.updated", "agent.published", "agent.unpublished", "agent.archived",
        "run.created", "task.completed", "task.failed", "billing.plan_set", "billing.invoice_closed", "bridge.created", "bridge.updated", "bridge.deleted", "bridge.provider_connected", "bridge.provider_disconnected",
    ]
}

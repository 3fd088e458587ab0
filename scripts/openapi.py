#!/usr/bin/env python3
"""Writes the API description: openapi.json (kept in the repository, served at
GET /api/v2/platform/openapi.json) and the Swift file that embeds it in the binary.

Edit this file, then run `scripts/openapi.py`. RouteCoverageTests fails when the server answers a
route the document lacks, when the document names one the server does not answer, or when the
two generated files are out of step with each other.
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PLATFORM = "/api/v2/platform"

ERROR_CODES = [
    "not_authenticated", "invalid_header", "invalid_token", "token_expired", "user_inactive",
    "org_handle_required", "invalid_org", "invalid_product", "permission_denied", "throttled",
    "invalid_parameters", "invalid_request", "not_found", "conflict", "headers_too_large",
    "payload_too_large", "malformed_request", "too_many_connections", "http_error", "internal_error",
]


def ref(name, kind="schemas"):
    return {"$ref": f"#/components/{kind}/{name}"}


def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


TIMESTAMP = {"type": "string", "format": "date-time", "description": "UTC, e.g. 2026-11-30T09:14:22Z"}
SCOPE = {"type": "string", "enum": ["read", "write", "admin"]}
DATE_OR_TIME = {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}


def envelope_list(item, description):
    return {
        "type": "object",
        "description": description,
        "required": ["count", "status_code", "message", "data"],
        "properties": {
            "count": {"type": "integer", "minimum": 0, "description": "All matching items, not only this page."},
            "status_code": {"type": "integer", "const": 200},
            "message": {"type": "string"},
            "data": {"type": "array", "items": ref(item)},
        },
    }


def envelope_object(item, status):
    return {
        "type": "object",
        "required": ["status_code", "message", "data"],
        "properties": {
            "status_code": {"type": "integer", "const": status},
            "message": {"type": "string"},
            "data": ref(item),
        },
    }


schemas = {
    "Error": {
        "type": "object",
        "description": "Every answer that is not 2xx (decisions.md section 1).",
        "required": ["status_code", "message", "code"],
        "additionalProperties": False,
        "properties": {
            "status_code": {"type": "integer", "minimum": 400, "maximum": 599},
            "message": {"type": "string"},
            "code": {"type": "string", "enum": ERROR_CODES, "description": "A stable machine word."},
            "errors": {"type": "string", "description": "What is wrong with the request, when there is a detail."},
        },
    },
    "Organization": {
        "type": "object",
        "required": ["id", "name", "domain_handle", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "domain_handle": {"type": "string", "description": "The value to send as Org-Handle."},
            "created_at": TIMESTAMP,
        },
    },
    "APIKey": {
        "type": "object",
        "description": "A key as listed: never its secret.",
        "required": ["key_id", "name", "prefix", "scopes", "org_handle", "created_at", "expires_at",
                     "last_used_at", "rotated_at", "grace_until", "status"],
        "properties": {
            "key_id": {"type": "string", "pattern": "^[0-9A-Za-z]{16}$"},
            "name": {"type": "string"},
            "prefix": {"type": "string"},
            "scopes": {"type": "array", "items": SCOPE},
            "org_handle": nullable({"type": "string"}),
            "created_at": TIMESTAMP,
            "expires_at": nullable(TIMESTAMP),
            "last_used_at": nullable(TIMESTAMP),
            "rotated_at": nullable(TIMESTAMP),
            "grace_until": nullable(TIMESTAMP),
            "status": {"type": "string", "enum": ["active", "expired", "rotated"]},
        },
    },
    "CreatedAPIKey": {
        "type": "object",
        "description": "A new key: the only answer that carries the token.",
        "required": ["key_id", "token", "name", "scopes", "org_handle", "created_at", "expires_at"],
        "properties": {
            "key_id": {"type": "string", "pattern": "^[0-9A-Za-z]{16}$"},
            "token": {"type": "string", "pattern": "^unpod_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}$"},
            "name": {"type": "string"},
            "scopes": {"type": "array", "items": SCOPE},
            "org_handle": nullable({"type": "string"}),
            "created_at": TIMESTAMP,
            "expires_at": nullable(TIMESTAMP),
            "replaces_key_id": {"type": "string"},
            "previous_key_grace_until": TIMESTAMP,
        },
    },
    "Duration": {
        "description": "Seconds, or text such as 90s, 15m, 24h, 30d, 2w; at most 100 years.",
        "oneOf": [
            {"type": "integer", "minimum": 1, "maximum": 3153600000},
            {"type": "string", "pattern": "^[0-9]+[smhdw]?$"},
        ],
    },
    "CreateAPIKeyRequest": {
        "type": "object",
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 100},
            "scopes": {"type": "array", "items": SCOPE, "minItems": 1},
            "org_handle": {"type": "string"},
            "expires_at": {"type": "string", "format": "date-time"},
            "expires_in": ref("Duration"),
        },
    },
    "RotateAPIKeyRequest": {
        "type": "object",
        "properties": {"grace_period": ref("Duration"), "expires_in": ref("Duration")},
    },
    "CallLog": {
        "type": "object",
        "required": ["id", "call_id", "source_number", "destination_number", "call_type", "call_status",
                     "creation_time", "start_time", "end_time", "call_duration", "end_reason"],
        "properties": {
            "id": {"type": "integer"},
            "call_id": {"type": "string"},
            "source_number": {"type": "string"},
            "destination_number": {"type": "string"},
            "call_type": {"type": "string", "enum": ["inbound", "outbound"]},
            "call_status": {"type": "string", "enum": ["completed", "missed", "failed"]},
            "creation_time": TIMESTAMP,
            "start_time": nullable(TIMESTAMP),
            "end_time": nullable(TIMESTAMP),
            "call_duration": {"type": "integer", "minimum": 0, "description": "Whole seconds."},
            "end_reason": nullable({"type": "string"}),
        },
    },
    "AuditEvent": {
        "type": "object",
        "required": ["id", "action", "occurred_at", "actor", "target", "org_handle", "client_address",
                     "request_id", "details"],
        "properties": {
            "id": {"type": "integer"},
            "action": {"type": "string"},
            "occurred_at": TIMESTAMP,
            "actor": {
                "type": "object",
                "required": ["type", "user_id", "email", "key_id"],
                "properties": {
                    "type": {"type": "string", "enum": ["api_key", "cli", "dashboard", "system"]},
                    "user_id": nullable({"type": "integer"}),
                    "email": nullable({"type": "string"}),
                    "key_id": nullable({"type": "string"}),
                },
            },
            "target": {
                "type": "object",
                "required": ["type", "id"],
                "properties": {
                    "type": {"type": "string", "enum": ["api_key", "user", "organization", "membership",
                                                        "provider_configuration", "number", "trunk", "call_log",
                                                        "bridge", "room", "space", "agent", "run", "task", "invoice"]},
                    "id": {"type": "string"},
                },
            },
            "org_handle": nullable({"type": "string"}),
            "client_address": nullable({"type": "string"}),
            "request_id": nullable({"type": "string"}),
            "details": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
    "Provider": {
        "type": "object",
        "required": ["id", "name", "slug", "description", "icon", "type"],
        "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"}, "slug": {"type": "string"},
            "description": {"type": "string"}, "icon": {"type": "string"}, "type": {"type": "string"},
        },
    },
    "MetaEntry": {
        "type": "object",
        "required": ["meta_key", "meta_value"],
        "properties": {
            "meta_key": {"type": "string", "minLength": 1, "maxLength": 100},
            "meta_value": {"type": "string", "maxLength": 1000},
        },
    },
    "ProviderConfiguration": {
        "type": "object",
        "description": "Credentials come back masked: four bullets and, for values of 12 characters or more, the last four.",
        "required": ["id", "name", "provider", "provider_slug", "provider_details", "org_handle", "account_sid",
                     "api_key", "auth_token", "api_secret", "base_url", "sip_url", "meta_json", "active",
                     "created_at", "updated_at"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "provider": {"type": "integer"},
            "provider_slug": {"type": "string"},
            "provider_details": {
                "type": "object", "required": ["id", "name", "description", "icon"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                               "description": {"type": "string"}, "icon": {"type": "string"}},
            },
            "org_handle": {"type": "string"},
            "account_sid": {"type": "string", "pattern": "^••••"},
            "api_key": {"type": "string", "pattern": "^••••"},
            "auth_token": {"type": "string", "pattern": "^••••"},
            "api_secret": {"type": "string", "pattern": "^••••"},
            "base_url": nullable({"type": "string"}),
            "sip_url": nullable({"type": "string"}),
            "meta_json": {"type": "array", "items": ref("MetaEntry")},
            "active": {"type": "boolean"},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        },
    },
    "ProviderConfigurationRequest": {
        "type": "object",
        "description": "Either vocabulary: account_sid/auth_token (P1) or api_key/api_secret (P2).",
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 100},
            "provider": {"oneOf": [{"type": "integer"}, {"type": "string"}], "description": "An id or slug from the catalog; fixed after creation."},
            "account_sid": {"type": "string", "minLength": 1, "maxLength": 256},
            "auth_token": {"type": "string", "minLength": 1, "maxLength": 1024},
            "api_key": {"type": "string", "minLength": 1, "maxLength": 256},
            "api_secret": {"type": "string", "minLength": 1, "maxLength": 1024},
            "base_url": {"type": "string", "description": "http or https; empty to clear."},
            "sip_url": {"type": "string", "description": "sip: or sips: URI; empty to clear."},
            "meta_json": {"type": "array", "items": ref("MetaEntry"), "maxItems": 50},
            "active": {"type": "boolean"},
        },
    },
    "VoiceProfile": {
        "type": "object",
        "required": ["profile_id", "project_id", "persona", "languages", "stt_languages"],
        "properties": {
            "profile_id": {"type": "string"},
            "project_id": nullable({"type": "string"}),
            "persona": {"type": "string"},
            **{key: nullable({"type": "string"}) for key in [
                "description", "gender", "quality_tier", "language", "stt_provider", "stt_model", "tts_provider",
                "tts_model", "tts_voice", "tts_language", "voice_prompt", "greeting_message"]},
            "languages": {"type": "array", "items": {"type": "string"}},
            "stt_languages": {"type": "array", "items": {"type": "string"}},
            "voice_temperature": nullable({"type": "number"}),
            "voice_speed": nullable({"type": "number"}),
            "price_per_minute": nullable({"type": "number"}),
            "latency_p95_ms": nullable({"type": "integer"}),
            "created": nullable(TIMESTAMP),
            "modified": nullable(TIMESTAMP),
        },
    },
    "VoiceProfileList": {
        "type": "object",
        "description": "Doubly wrapped, as the Python client's reference backend answers.",
        "required": ["count", "status_code", "message", "data"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "status_code": {"type": "integer", "const": 200},
            "message": {"type": "string"},
            "data": {"type": "object", "required": ["data"],
                     "properties": {"data": {"type": "array", "items": ref("VoiceProfile")}}},
        },
    },
    "VoiceProfileEnvelope": {
        "type": "object",
        "required": ["status_code", "message", "data"],
        "properties": {
            "status_code": {"type": "integer", "const": 200},
            "message": {"type": "string"},
            "data": {"type": "object", "required": ["data"], "properties": {"data": ref("VoiceProfile")}},
        },
    },
    "Number": {
        "type": "object",
        "required": ["id", "number", "provider", "bridge_slug", "trunk_id", "agent_id", "status", "state", "active",
                     "connection_state", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "number": {"type": "string", "pattern": "^\\+[1-9][0-9]{1,14}$"},
            "provider": {"type": "string"},
            "bridge_slug": nullable({"type": "string"}),
            "trunk_id": nullable({"type": "integer"}),
            "agent_id": nullable({"type": "string"}),
            "status": {"type": "string", "enum": ["active", "inactive"]},
            "state": {"type": "string", "enum": ["ASSIGNED", "NOT_ASSIGNED"]},
            "active": {"type": "boolean"},
            "connection_state": {"type": "string", "enum": ["NOT_LINKED", "PENDING_VERIFY", "LINKED", "ERROR"]},
            "created_at": TIMESTAMP,
        },
    },
    "Trunk": {
        "type": "object",
        "required": ["id", "name", "sip_url", "transport", "port", "auth_username", "auth_password", "allowed_ips",
                     "active", "numbers", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "sip_url": {"type": "string"},
            "transport": {"type": "string", "enum": ["udp", "tcp", "tls"]},
            "port": {"type": "string", "pattern": "^[0-9]+$"},
            "auth_username": nullable({"type": "string"}),
            "auth_password": nullable({"type": "string", "pattern": "^••••"}),
            "allowed_ips": {"type": "string", "description": "Comma-separated addresses or CIDR ranges."},
            "active": {"type": "boolean"},
            "numbers": {"type": "array", "items": {"type": "string"}},
            "created_at": TIMESTAMP,
        },
    },
    "CreateTrunkRequest": {
        "type": "object",
        "required": ["name", "sip_url"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 100},
            "sip_url": {"type": "string", "pattern": "^sips?:"},
            "auth_username": {"type": "string", "minLength": 1, "maxLength": 128},
            "auth_password": {"type": "string", "minLength": 1, "maxLength": 256},
            "transport": {"type": "string", "enum": ["udp", "tcp", "tls"]},
            "port": {"oneOf": [{"type": "string", "pattern": "^[0-9]{1,5}$"}, {"type": "integer", "minimum": 1, "maximum": 65535}]},
            "source_ips": {"type": "array", "items": {"type": "string"}, "maxItems": 50},
        },
    },
    "TrunkNumbersRequest": {
        "type": "object",
        "required": ["number_ids"],
        "properties": {
            "number_ids": {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 100},
            "bridge_slug": {"type": "string"},
            "region": {"type": "string"},
        },
    },
    "NumberResult": {
        "type": "object",
        "required": ["number_id", "number", "connection_state", "agent_id", "ok", "error"],
        "properties": {
            "number_id": {"type": "integer"},
            "number": nullable({"type": "string"}),
            "connection_state": nullable({"type": "string"}),
            "agent_id": nullable({"type": "string"}),
            "ok": {"type": "boolean"},
            "error": nullable({"type": "string"}),
        },
    },
    "TrunkNumbersResult": {
        "type": "object",
        "required": ["trunk_id", "numbers", "message"],
        "properties": {
            "trunk_id": {"type": "integer"},
            "numbers": {"type": "array", "items": ref("NumberResult")},
            "message": {"type": "string"},
        },
    },
    "AttachNumbersRequest": {
        "type": "object",
        "required": ["numbers"],
        "properties": {
            "numbers": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 100},
            "agent_id": {"type": "string"},
            "attach_type": {"type": "string", "enum": ["agent", "pipeline"]},
            "pipe_id": {"type": "string"},
            "bridge_slug": {"type": "string"},
            "region": {"type": "string", "minLength": 1, "maxLength": 50},
        },
    },
    "DetachNumbersRequest": {
        "type": "object",
        "required": ["numbers"],
        "properties": {"numbers": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 100}},
    },
    "AgentNumbersResult": {
        "type": "object",
        "required": ["agent_id", "numbers", "message"],
        "properties": {
            "agent_id": nullable({"type": "string"}),
            "numbers": {"type": "array", "items": ref("NumberResult")},
            "message": {"type": "string"},
        },
    },
    "NumberOverview": {
        "type": "object",
        "required": ["number", "number_id", "bridge_slug", "connection_state", "termination_kind", "agent_id",
                     "provider", "sync_state", "in_sync"],
        "properties": {
            "number": {"type": "string"},
            "number_id": {"type": "integer"},
            "bridge_slug": nullable({"type": "string"}),
            "connection_state": {"type": "string"},
            "termination_kind": nullable({"type": "string", "enum": ["agent", "pipeline", "sip"]}),
            "agent_id": nullable({"type": "string"}),
            "provider": {"type": "string"},
            "sync_state": {"type": "string"},
            "in_sync": {"type": "boolean"},
        },
    },
    "AttachEnvelope": envelope_object("AgentNumbersResult", 201),
    "DetachEnvelope": envelope_object("AgentNumbersResult", 200),
    "NumberOverviewList": envelope_list("NumberOverview", "Every number of the organization and where its calls go."),
    "ReportCallLogRequest": {
        "type": "object",
        "required": ["call_id", "source_number", "destination_number", "call_type", "call_status"],
        "properties": {
            "call_id": {"type": "string", "minLength": 1, "maxLength": 100},
            "source_number": {"type": "string", "pattern": "^\\+[1-9][0-9]{1,14}$"},
            "destination_number": {"type": "string", "pattern": "^\\+[1-9][0-9]{1,14}$"},
            "call_type": {"type": "string", "enum": ["inbound", "outbound"]},
            "call_status": {"type": "string", "enum": ["completed", "missed", "failed"]},
            "creation_time": {"type": "string", "format": "date-time"},
            "start_time": {"type": "string", "format": "date-time"},
            "end_time": {"type": "string", "format": "date-time"},
            "call_duration": {"oneOf": [{"type": "integer", "minimum": 0, "maximum": 604800},
                                        {"type": "string", "pattern": "^[0-9]+:[0-5][0-9]:[0-5][0-9]$"}]},
            "end_reason": {"type": "string", "minLength": 1, "maxLength": 100},
        },
    },
    "CallLogEnvelope": {
        "type": "object",
        "required": ["status_code", "message", "data"],
        "properties": {
            "status_code": {"type": "integer", "enum": [200, 201]},
            "message": {"type": "string"},
            "data": ref("CallLog"),
        },
    },
    "ProviderCredential": {
        "type": "object",
        "required": ["id", "name", "provider", "provider_details", "active"],
        "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"}, "provider": {"type": "integer"},
            "provider_details": {"type": "object", "required": ["id", "name", "type"],
                                 "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                                                "type": {"type": "string"}}},
            "active": {"type": "boolean"},
        },
    },
    "Bridge": {
        "type": "object",
        "required": ["id", "name", "slug", "description", "status", "documents_status", "region", "hub", "numbers",
                     "provider", "provider_credential", "organization", "created_at", "updated_at"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "slug": {"type": "string"},
            "description": {"type": "string"},
            "status": {"type": "string", "enum": ["DRAFT", "ACTIVE", "INACTIVE"]},
            "documents_status": {"type": "string"},
            "region": nullable({"type": "string"}),
            "hub": nullable({"type": "integer"}),
            "numbers": {"type": "array", "items": {
                "type": "object",
                "required": ["id", "number_id", "number", "state", "active", "channels_count", "status"],
                "properties": {
                    "id": {"type": "integer"}, "number_id": {"type": "integer"}, "number": {"type": "string"},
                    "state": {"type": "string"}, "active": {"type": "boolean"}, "channels_count": {"type": "integer"},
                    "status": {"type": "string"},
                },
            }},
            "provider": nullable({"type": "string"}),
            "provider_credential": nullable(ref("ProviderCredential")),
            "organization": ref("Organization"),
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        },
    },
    "CreateBridgeRequest": {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 100},
            "slug": {"type": "string", "pattern": "^[a-z0-9-]{1,64}$"},
            "description": {"type": "string", "maxLength": 1000},
            "region": {"type": "string", "pattern": "^[A-Za-z]{2,8}$"},
        },
    },
    "UpdateBridgeRequest": {
        "type": "object",
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 100},
            "description": {"type": "string", "maxLength": 1000},
            "status": {"type": "string", "enum": ["DRAFT", "ACTIVE", "INACTIVE"]},
        },
    },
    "BridgeProviderRequest": {
        "type": "object",
        "description": "Variant A: provider_credential_id; variant B: provider_config_id and phone_number.",
        "properties": {
            "provider_credential_id": {"type": "integer"},
            "provider_config_id": {"type": "integer"},
            "phone_number": {"type": "string"},
        },
    },
    "BridgeProviderResult": {
        "type": "object",
        "required": ["id", "name", "slug", "provider_credential", "message", "bridge_slug", "phone_number"],
        "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"}, "slug": {"type": "string"},
            "provider_credential": nullable(ref("ProviderCredential")),
            "message": {"type": "string"}, "bridge_slug": {"type": "string"},
            "phone_number": nullable({"type": "string"}),
        },
    },
    "BridgeList": envelope_list("Bridge", "The organization's bridges."),
    "BridgeEnvelope": envelope_object("Bridge", 200),
    "CreatedBridgeEnvelope": envelope_object("Bridge", 201),
    "BridgeProviderEnvelope": envelope_object("BridgeProviderResult", 200),
    "NumberList": envelope_list("Number", "The organization's numbers."),
    "TrunkList": envelope_list("Trunk", "The organization's trunks."),
    "TrunkEnvelope": envelope_object("Trunk", 200),
    "CreatedTrunkEnvelope": envelope_object("Trunk", 201),
    "TrunkAttachEnvelope": envelope_object("TrunkNumbersResult", 201),
    "TrunkDetachEnvelope": envelope_object("TrunkNumbersResult", 200),
    "ProviderList": envelope_list("Provider", "The providers the platform supports."),
    "ProviderConfigurationList": envelope_list("ProviderConfiguration", "The organization's provider configurations."),
    "ProviderConfigurationEnvelope": envelope_object("ProviderConfiguration", 200),
    "CreatedProviderConfigurationEnvelope": envelope_object("ProviderConfiguration", 201),
    "OrganizationList": envelope_list("Organization", "The organizations the key may act in."),
    "APIKeyList": envelope_list("APIKey", "The caller's keys that are not revoked."),
    "CallLogList": envelope_list("CallLog", "The organization's calls, newest first."),
    "AuditEventList": envelope_list("AuditEvent", "Audit events, newest first."),
    "CreatedAPIKeyEnvelope": envelope_object("CreatedAPIKey", 201),
}

ERROR_DESCRIPTIONS = {
    "400": "Bad request: a missing Org-Handle, an unknown Product-ID, or invalid parameters (with `errors`).",
    "401": "Not authenticated: no, malformed, unknown or revoked credentials, or an inactive user.",
    "403": "Forbidden: an expired key, an organization the key may not act in, or a scope or role too low.",
    "404": "No such resource.",
    "409": "Conflict.",
    "413": "The body is over the server's limit (1 MiB unless configured).",
    "429": "Throttled: too many requests for the key, or too many failed authentications from the address.",
    "431": "The request's header block is over 16 KiB.",
    "503": "The server holds as many connections as it is configured to.",
}


def error_response(status):
    response = {
        "description": ERROR_DESCRIPTIONS[status],
        "content": {"application/json": {"schema": ref("Error")}},
    }
    if status == "401":
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string", "const": "Token"}}}
    if status == "429":
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}}
    return response


responses = {status: error_response(status) for status in ERROR_DESCRIPTIONS}

parameters = {
    "OrgHandle": {
        "name": "Org-Handle", "in": "header", "required": True,
        "description": "The organization's domain_handle (GET /organizations/ lists them).",
        "schema": {"type": "string"},
    },
    "OrgHandleOptional": {
        "name": "Org-Handle", "in": "header", "required": False,
        "description": "The organization whose events to read; not needed with scope=self.",
        "schema": {"type": "string"},
    },
    "ProductID": {
        "name": "Product-ID", "in": "header", "required": False,
        "description": "The product; defaults to unpod.ai.",
        "schema": {"type": "string"},
    },
    "Page": {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647, "default": 1}},
    "PageSize": {"name": "page_size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
    "StartDate": {
        "name": "start_date", "in": "query",
        "description": "Inclusive: a date (2026-11-30) or an ISO 8601 timestamp.", "schema": DATE_OR_TIME,
    },
    "EndDate": {
        "name": "end_date", "in": "query",
        "description": "A date includes that whole day (UTC); a timestamp includes that instant.",
        "schema": DATE_OR_TIME,
    },
    "ProfileID": {
        "name": "profile_id", "in": "path", "required": True, "description": "e.g. VP_openai_alloy.",
        "schema": {"type": "string"},
    },
    "Slug": {
        "name": "slug", "in": "path", "required": True, "description": "The bridge's slug.",
        "schema": {"type": "string", "pattern": "^[a-z0-9-]{1,64}$"},
    },
    "TrunkID": {
        "name": "trunk_id", "in": "path", "required": True, "description": "The trunk's id.",
        "schema": {"type": "integer", "minimum": 1},
    },
    "ConfigurationID": {
        "name": "id", "in": "path", "required": True, "description": "The configuration's id.",
        "schema": {"type": "integer", "minimum": 1},
    },
    "KeyID": {
        "name": "key_id", "in": "path", "required": True, "description": "The key's public id.",
        "schema": {"type": "string", "pattern": "^[0-9A-Za-z]{16}$"},
    },
}


def errors(*statuses):
    return {status: ref(status, "responses") for status in statuses}


# What every authenticated operation may answer besides its success.
AUTHENTICATED = ("400", "401", "403", "429", "431")


def operation(operation_id, summary, success, *, tags, params=(), body=None, extra_errors=(), secured=True):
    result = {"operationId": operation_id, "summary": summary, "tags": tags}
    all_params = [ref(p, "parameters") for p in params]
    if secured:
        all_params.append(ref("ProductID", "parameters"))
        result["security"] = [{"TokenAuth": []}]
    if all_params:
        result["parameters"] = all_params
    if body:
        result["requestBody"] = {"required": False, "content": {"application/json": {"schema": ref(body)}}}
    result["responses"] = dict(success)
    statuses = (AUTHENTICATED if secured else ("431",)) + tuple(extra_errors)
    if body:
        statuses += ("413",)
    result["responses"].update(errors(*sorted(set(statuses))))
    return result


def json_success(status, description, schema):
    return {status: {"description": description, "content": {"application/json": {"schema": schema}}}}


paths = {
    "/healthz": {"get": operation(
        "health", "Liveness, without authentication or database.", json_success(
            "200", "The process serves.",
            {"type": "object", "required": ["ok"], "properties": {"ok": {"type": "boolean", "const": True}}}),
        tags=["operations"], secured=False)},
    "/metrics": {"get": {
        **operation(
            "metrics", "Prometheus metrics (text format 0.0.4).",
            {"200": {"description": "The metrics.", "content": {"text/plain": {"schema": {"type": "string"}}}}},
            tags=["operations"], secured=False, extra_errors=("401",)),
        "security": [{}, {"MetricsToken": []}],
        "description": "Open unless UNPOD_METRICS_TOKEN is set; then `Authorization: Bearer <that value>`.",
    }},
    f"{PLATFORM}/openapi.json": {"get": operation(
        "openapi", "This document.", json_success("200", "The API description.", {"type": "object"}),
        tags=["operations"], secured=False)},
    f"{PLATFORM}/organizations/": {"get": operation(
        "listOrganizations", "ORG-1: the organizations the key may act in.",
        json_success("200", "Organizations fetched successfully", ref("OrganizationList")), tags=["organizations"])},
    f"{PLATFORM}/api-keys/": {
        "get": operation(
            "listAPIKeys", "The caller's keys (needs the admin scope).",
            json_success("200", "API keys fetched successfully", ref("APIKeyList")), tags=["api-keys"]),
        "post": operation(
            "createAPIKey", "Make a key; its token is shown this once (needs the admin scope).",
            json_success("201", "API key created successfully.", ref("CreatedAPIKeyEnvelope")),
            tags=["api-keys"], body="CreateAPIKeyRequest"),
    },
    f"{PLATFORM}/api-keys/{{key_id}}/": {"delete": operation(
        "deleteAPIKey", "Revoke a key: refused from the next request on, on every node within a second.",
        {"204": {"description": "Revoked; no body."}}, tags=["api-keys"], params=("KeyID",), extra_errors=("404",))},
    f"{PLATFORM}/api-keys/{{key_id}}/rotate/": {"post": operation(
        "rotateAPIKey", "Replace a key; the old one works for the grace period (default 24 h).",
        json_success("201", "API key rotated successfully.", ref("CreatedAPIKeyEnvelope")),
        tags=["api-keys"], params=("KeyID",), body="RotateAPIKeyRequest", extra_errors=("404",))},
    f"{PLATFORM}/call-logs/": {"get": {
        **operation(
            "listCallLogs", "LOG-1: the organization's calls, newest first.",
            json_success("200", "Call logs fetched successfully", ref("CallLogList")), tags=["call-logs"],
            params=("OrgHandle", "Page", "PageSize", "StartDate", "EndDate")),
    }},
    f"{PLATFORM}/audit-log/": {"get": operation(
        "listAuditEvents",
        "The organization's audit events (owners and admins, admin-scope key), or the caller's own with scope=self.",
        json_success("200", "Audit events fetched successfully", ref("AuditEventList")), tags=["audit-log"],
        params=("OrgHandleOptional", "Page", "PageSize", "StartDate", "EndDate"))},
    f"{PLATFORM}/telephony/providers/": {"get": operation(
        "listProviders", "PRV-1: the providers the platform supports (a global catalog).",
        json_success("200", "Voice infra providers fetched successfully.", ref("ProviderList")), tags=["telephony"],
        params=("OrgHandleOptional", "Page", "PageSize"))},
    f"{PLATFORM}/telephony/providers-configurations/": {
        "get": operation(
            "listProviderConfigurations", "CFG-2: the organization's provider configurations, credentials masked.",
            json_success("200", "Provider configurations fetched successfully.", ref("ProviderConfigurationList")),
            tags=["telephony"], params=("OrgHandle", "Page", "PageSize")),
        "post": operation(
            "createProviderConfiguration", "CFG-1: store credentials for a provider (owners and admins, write scope).",
            json_success("201", "Provider configuration created successfully.", ref("CreatedProviderConfigurationEnvelope")),
            tags=["telephony"], params=("OrgHandle",), body="ProviderConfigurationRequest", extra_errors=("409",)),
    },
    f"{PLATFORM}/telephony/providers-configurations/{{id}}/": {
        "get": operation(
            "getProviderConfiguration", "CFG-3: one configuration, credentials masked.",
            json_success("200", "Provider configuration fetched successfully.", ref("ProviderConfigurationEnvelope")),
            tags=["telephony"], params=("OrgHandle", "ConfigurationID"), extra_errors=("404",)),
        "patch": operation(
            "updateProviderConfiguration", "CFG-4: change what the body names, keep the rest.",
            json_success("200", "Provider configuration updated successfully.", ref("ProviderConfigurationEnvelope")),
            tags=["telephony"], params=("OrgHandle", "ConfigurationID"), body="ProviderConfigurationRequest",
            extra_errors=("404", "409")),
        "delete": operation(
            "deleteProviderConfiguration", "CFG-5: delete a configuration.",
            {"204": {"description": "Deleted; no body."}}, tags=["telephony"], params=("OrgHandle", "ConfigurationID"),
            extra_errors=("404", "409")),
    },
    f"{PLATFORM}/telephony/numbers/": {"get": operation(
        "listNumbers", "NUM-1: the organization's numbers, with status, state and active.",
        json_success("200", "Numbers fetched successfully.", ref("NumberList")), tags=["telephony"],
        params=("OrgHandle", "Page", "PageSize"))},
    f"{PLATFORM}/telephony/bridges/": {
        "get": operation(
            "listBridges", "BRG-2: the organization's bridges with their numbers and provider.",
            json_success("200", "Bridges fetched successfully.", ref("BridgeList")), tags=["telephony"],
            params=("OrgHandle", "Page", "PageSize")),
        "post": operation(
            "createBridge", "BRG-1: a new DRAFT bridge; the slug is generated when not given.",
            json_success("201", "Bridge created successfully.", ref("CreatedBridgeEnvelope")), tags=["telephony"],
            params=("OrgHandle",), body="CreateBridgeRequest", extra_errors=("409",)),
    },
    f"{PLATFORM}/telephony/bridges/{{slug}}/": {
        "get": operation(
            "getBridge", "BRG-3: one bridge.", json_success("200", "Bridge fetched successfully.", ref("BridgeEnvelope")),
            tags=["telephony"], params=("OrgHandle", "Slug"), extra_errors=("404",)),
        "patch": operation(
            "updateBridge", "BRG-4: name, description, status (ACTIVE needs a provider and a number).",
            json_success("200", "Bridge updated successfully.", ref("BridgeEnvelope")), tags=["telephony"],
            params=("OrgHandle", "Slug"), body="UpdateBridgeRequest", extra_errors=("404",)),
        "delete": operation(
            "deleteBridge", "BRG-5: delete; its numbers and provider link are released in one transaction.",
            {"204": {"description": "Deleted; no body."}}, tags=["telephony"], params=("OrgHandle", "Slug"),
            extra_errors=("404",)),
    },
    f"{PLATFORM}/telephony/bridges/{{slug}}/connect-provider/": {"post": operation(
        "connectBridgeProvider", "BRG-6: connect a provider configuration (and, variant B, one of its numbers).",
        json_success("200", "Provider connected to bridge successfully.", ref("BridgeProviderEnvelope")),
        tags=["telephony"], params=("OrgHandle", "Slug"), body="BridgeProviderRequest", extra_errors=("404",))},
    f"{PLATFORM}/telephony/bridges/{{slug}}/disconnect-provider/": {"post": operation(
        "disconnectBridgeProvider", "BRG-7: take a number off the bridge (variant B) or unlink the provider (variant A).",
        json_success("200", "Provider disconnected from bridge successfully.", ref("BridgeProviderEnvelope")),
        tags=["telephony"], params=("OrgHandle", "Slug"), body="BridgeProviderRequest", extra_errors=("404",))},
    f"{PLATFORM}/telephony/numbers/attach/": {"post": operation(
        "attachNumbers", "NUM-2: put numbers on the organization's bridge for an agent or a pipeline; one result per number.",
        json_success("201", "Numbers attached to agent.", ref("AttachEnvelope")), tags=["telephony"],
        params=("OrgHandle",), body="AttachNumbersRequest")},
    f"{PLATFORM}/telephony/numbers/detach/": {"post": operation(
        "detachNumbers", "NUM-3: take numbers off their bridge; they stay the organization's.",
        json_success("200", "Numbers detached.", ref("DetachEnvelope")), tags=["telephony"],
        params=("OrgHandle",), body="DetachNumbersRequest")},
    f"{PLATFORM}/telephony/overview/": {"get": operation(
        "telephonyOverview", "NUM-4: every number of the organization and where its calls go.",
        json_success("200", "Telephony overview fetched successfully.", ref("NumberOverviewList")), tags=["telephony"],
        params=("OrgHandle",))},
    f"{PLATFORM}/telephony/trunks/": {
        "get": operation(
            "listTrunks", "TRK-2: the organization's trunks, passwords masked.",
            json_success("200", "Trunks fetched successfully.", ref("TrunkList")), tags=["telephony"],
            params=("OrgHandle", "Page", "PageSize")),
        "post": operation(
            "createTrunk", "TRK-1: a SIP carrier trunk (owners and admins, write scope).",
            json_success("201", "Trunk created successfully.", ref("CreatedTrunkEnvelope")), tags=["telephony"],
            params=("OrgHandle",), body="CreateTrunkRequest"),
    },
    f"{PLATFORM}/telephony/trunks/{{trunk_id}}/": {
        "get": operation(
            "getTrunk", "TRK-3: one trunk.", json_success("200", "Trunk fetched successfully.", ref("TrunkEnvelope")),
            tags=["telephony"], params=("OrgHandle", "TrunkID"), extra_errors=("404",)),
        "delete": operation(
            "deleteTrunk", "TRK-4: delete a trunk; its numbers are released from it.",
            {"204": {"description": "Deleted; no body."}}, tags=["telephony"], params=("OrgHandle", "TrunkID"),
            extra_errors=("404",)),
    },
    f"{PLATFORM}/telephony/trunks/{{trunk_id}}/attach-numbers/": {"post": operation(
        "attachTrunkNumbers", "TRK-5: put numbers on the trunk; one result per number, 400 when none moved.",
        json_success("201", "Numbers attached to trunk.", ref("TrunkAttachEnvelope")), tags=["telephony"],
        params=("OrgHandle", "TrunkID"), body="TrunkNumbersRequest", extra_errors=("404",))},
    f"{PLATFORM}/telephony/trunks/{{trunk_id}}/detach-numbers/": {"post": operation(
        "detachTrunkNumbers", "TRK-6: take numbers off the trunk; one result per number, 400 when none moved.",
        json_success("200", "Numbers detached from trunk.", ref("TrunkDetachEnvelope")), tags=["telephony"],
        params=("OrgHandle", "TrunkID"), body="TrunkNumbersRequest", extra_errors=("404",))},
    f"{PLATFORM}/voice-profiles/": {"get": {
        **operation(
            "listVoiceProfiles", "VPR-1: active voice profiles, optionally those speaking one language.",
            json_success("200", "Voice profiles fetched successfully.", ref("VoiceProfileList")), tags=["voice-profiles"],
            params=("OrgHandleOptional", "Page", "PageSize")),
    }},
    f"{PLATFORM}/voice-profiles/{{profile_id}}/": {"get": operation(
        "getVoiceProfile", "VPR-2: one voice profile.",
        json_success("200", "Voice profile fetched successfully.", ref("VoiceProfileEnvelope")), tags=["voice-profiles"],
        params=("OrgHandleOptional", "ProfileID"), extra_errors=("404",))},
}

paths[f"{PLATFORM}/telephony/numbers/"]["get"]["parameters"].insert(0, {
    "name": "include_assigned", "in": "query", "description": "false: only numbers not yet assigned.",
    "schema": {"type": "string", "enum": ["true", "false"], "default": "true"},
})
trunks = paths[f"{PLATFORM}/telephony/trunks/"]["post"]
trunks["requestBody"]["content"]["application/json"]["example"] = {
    "name": "Carrier", "sip_url": "sip:carrier.example.com", "auth_username": "unpod",
    "auth_password": "carrier-password-0123", "transport": "tls", "port": "5061", "source_ips": ["203.0.113.0/24"],
}

voice_profiles = paths[f"{PLATFORM}/voice-profiles/"]["get"]
voice_profiles["parameters"].insert(0, {
    "name": "language", "in": "query", "description": "A language code such as hi or en.",
    "schema": {"type": "string", "pattern": "^[A-Za-z-]{2,16}$"},
})

# Links and an example body let property-based tests reach a created configuration's routes.
configurations = paths[f"{PLATFORM}/telephony/providers-configurations/"]["post"]
configurations["requestBody"]["content"]["application/json"]["example"] = {
    "name": "Twilio production", "provider": "twilio", "account_sid": "AC0123456789abcdef0123456789abcdef",
    "auth_token": "0123456789abcdef0123456789abcdef", "sip_url": "sip:unpod@example.pstn.twilio.com",
}
configurations["responses"]["201"]["links"] = {
    name: {"operationId": operation_id, "parameters": {"id": "$response.body#/data/id"}}
    for name, operation_id in [("Get", "getProviderConfiguration"), ("Update", "updateProviderConfiguration"),
                               ("Delete", "deleteProviderConfiguration")]
}

paths[f"{PLATFORM}/call-logs/"]["post"] = operation(
    "reportCallLog", "Report a finished call (owners and admins, write scope); a retried report answers 200 with the stored row.",
    {**json_success("201", "Call log recorded successfully.", ref("CallLogEnvelope")),
     **json_success("200", "Call log already recorded.", ref("CallLogEnvelope"))},
    tags=["call-logs"], params=("OrgHandle",), body="ReportCallLogRequest", extra_errors=("409",))
paths[f"{PLATFORM}/call-logs/"]["post"]["requestBody"]["content"]["application/json"]["example"] = {
    "call_id": "call_0001", "source_number": "+14155550101", "destination_number": "+919876543210",
    "call_type": "outbound", "call_status": "completed", "creation_time": "2026-11-30T09:00:00Z",
    "start_time": "2026-11-30T09:00:05Z", "end_time": "2026-11-30T09:05:30Z", "call_duration": "0:05:25",
    "end_reason": "customer-ended-call",
}

BOOL = {"type": "boolean"}
schemas["VideoGrant"] = {
    "type": "object",
    "description": "LiveKit's video grant, in its camel case. Absent canPublish/canSubscribe mean true; absent canPublishData follows canPublish.",
    "properties": {name: BOOL for name in [
        "roomJoin", "roomAdmin", "roomCreate", "roomList", "roomRecord", "canPublish", "canSubscribe", "canPublishData",
        "canUpdateOwnMetadata", "ingressAdmin", "hidden", "recorder", "agent"]} | {
        "room": {"type": "string", "minLength": 1, "maxLength": 256},
        "destinationRoom": {"type": "string"},
        "canPublishSources": {"type": "array", "items": {"type": "string"}},
    },
}
schemas["AccessTokenRequest"] = {
    "type": "object",
    "description": "LiveKit's token-source request, plus grants and ttl. A missing room or identity is made up.",
    "properties": {
        "room_name": {"type": "string", "minLength": 1, "maxLength": 256},
        "participant_identity": {"type": "string", "minLength": 1, "maxLength": 256},
        "participant_name": {"type": "string", "minLength": 1, "maxLength": 256},
        "participant_metadata": {"type": "string", "maxLength": 65536},
        "participant_attributes": {"type": "object", "additionalProperties": {"type": "string"}},
        "room_config": {"type": "object", "description": "Accepted and not used: rooms are made when first joined."},
        "grants": ref("VideoGrant"),
        "ttl": {"oneOf": [{"type": "integer", "minimum": 1, "description": "Seconds, at most the server's --max-token-ttl (24 h by default)."},
                          {"type": "string", "pattern": "^[0-9]+[smhd]?$", "description": "A duration such as 10m or 6h."}]},
    },
}
schemas["AccessTokenResponse"] = {
    "type": "object",
    "required": ["server_url", "participant_token"],
    "properties": {
        "server_url": {"type": "string", "description": "ws:// or wss:// URL of this server; the room server is at /rtc."},
        "participant_token": {"type": "string", "description": "HS256 JWT in LiveKit's claim layout, iss = the calling key's key_id."},
    },
}
schemas["AccessTokenEnvelope"] = envelope_object("AccessTokenResponse", 200)
paths[f"{PLATFORM}/tokens/"] = {"post": operation(
    "mintAccessToken",
    "An access token for a room of the organization, signed with the calling key (write scope; roomAdmin and roomCreate need admin).",
    json_success("200", "Token created successfully.", ref("AccessTokenEnvelope")),
    tags=["access-tokens"], params=("OrgHandle",), body="AccessTokenRequest")}
paths[f"{PLATFORM}/tokens/"]["post"]["requestBody"]["content"]["application/json"]["example"] = {
    "room_name": "support", "participant_identity": "caller-42", "participant_name": "Caller", "ttl": "10m",
}

call_logs = paths[f"{PLATFORM}/call-logs/"]["get"]
call_logs["parameters"][-1:-1] = [
    {"name": "call_type", "in": "query", "schema": {"type": "string", "enum": ["inbound", "outbound"]}},
    {"name": "call_status", "in": "query", "schema": {"type": "string", "enum": ["completed", "missed", "failed"]}},
]
audit = paths[f"{PLATFORM}/audit-log/"]["get"]
audit["parameters"][-1:-1] = [
    {"name": "scope", "in": "query", "schema": {"type": "string", "enum": ["organization", "self"], "default": "organization"}},
    {"name": "action", "in": "query", "schema": {"type": "string", "enum": [
        "api_key.created", "api_key.rotated", "api_key.revoked", "api_key.used_after_rotation", "user.created",
        "user.deactivated", "user.activated", "user.password_changed", "user.signed_in", "user.signed_out",
        "organization.created", "membership.added",
        "membership.role_changed", "membership.removed", "provider_configuration.created",
        "provider_configuration.updated", "provider_configuration.deleted", "number.added", "number.released",
        "number.attached", "number.detached", "trunk.created", "trunk.deleted", "trunk.numbers_attached", "trunk.numbers_detached",
        "call_log.reported", "call_log.samples_added", "access_token.minted", "room.participant_removed", "space.created", "space.updated", "space.archived",
        "agent.created", "agent.updated", "agent.published", "agent.unpublished", "agent.archived", "run.created", "task.completed", "task.failed", "billing.plan_set", "billing.invoice_closed", "bridge.created", "bridge.updated", "bridge.deleted", "bridge.provider_connected",
        "bridge.provider_disconnected"]}},
    {"name": "actor", "in": "query", "description": "A key id, an email, or cli.",
     "schema": {"type": "string", "minLength": 1, "maxLength": 254}},
]

# Spaces, agents, tasks and runs (issue 9; platform-api.md 2.2 to 2.5).
STR = {"type": "string"}
NULLABLE_STR = nullable(STR)
schemas.update({
    "BareError": {
        "type": "object",
        "description": "The documented bodies without status_code (platform-api.md 1.5 F3 and F5): "
                       "206 on task creation, AGT-2's 404 {\"message\": \"Agent not found\"}.",
        "required": ["message"], "additionalProperties": False,
        "properties": {"message": STR, "errors": STR},
    },
    "Space": {
        "type": "object",
        "required": ["id", "name", "slug", "token", "description", "logo", "privacy_type", "space_type", "content_type",
                     "organization", "agent_handle", "created_at"],
        "properties": {
            "id": {"type": "string", "description": "sp_ and the row id."}, "name": STR, "slug": STR,
            "token": {"type": "string", "description": "The space_token of the paths."}, "description": STR,
            "logo": NULLABLE_STR, "privacy_type": STR, "space_type": STR, "content_type": STR,
            "organization": {"type": "object", "required": ["name", "domain_handle"],
                             "properties": {"name": STR, "domain_handle": STR}},
            "agent_handle": NULLABLE_STR, "created_at": TIMESTAMP,
        },
    },
    "Agent": {
        "type": "object", "required": ["handle", "name", "type", "state", "purpose"],
        "properties": {"handle": STR, "name": STR, "type": STR,
                       "state": {"type": "string", "enum": ["draft", "published", "archived"]}, "purpose": STR},
    },
    "Task": {
        "type": "object",
        "required": ["_id", "thread_id", "user_info", "task_id", "run_id", "task", "input", "output", "attachments",
                     "assignee", "status", "execution_type", "ref_id", "run_mode", "failure_count",
                     "last_failure_reason", "retry_attempt", "last_status_change", "scheduled_timestamp", "created",
                     "modified"],
        "properties": {
            "_id": {"type": "string", "pattern": "^[0-9a-f]{24}$"}, "thread_id": STR,
            "user_info": {"type": "object", "required": ["email", "full_name"], "properties": {"email": STR, "full_name": STR}},
            "task_id": STR, "run_id": STR,
            "task": {"type": "object", "required": ["objective"], "properties": {"objective": STR}},
            "input": {"type": "object", "description": "The submitted document, whole."},
            "output": {"type": "object", "description": "The call result; {} until the task is completed."},
            "attachments": {"type": "array"}, "assignee": STR,
            "status": {"type": "string", "enum": ["pending", "running", "completed", "failed"]},
            "execution_type": STR, "ref_id": NULLABLE_STR, "run_mode": STR, "failure_count": {"type": "integer"},
            "last_failure_reason": NULLABLE_STR, "retry_attempt": {"type": "integer"}, "last_status_change": TIMESTAMP,
            "scheduled_timestamp": nullable(TIMESTAMP), "created": TIMESTAMP, "modified": TIMESTAMP,
        },
    },
    "Run": {
        "type": "object", "required": ["run_id", "collection_ref", "run_mode", "status", "created", "modified"],
        "properties": {"run_id": STR, "collection_ref": STR, "run_mode": STR,
                       "status": {"type": "string", "enum": ["pending", "running", "completed", "failed"]},
                       "created": TIMESTAMP, "modified": TIMESTAMP},
    },
    "Execution": {
        "type": "object", "required": ["run_id", "status", "total_tasks", "completed_tasks", "created"],
        "properties": {"run_id": STR, "status": {"type": "string", "enum": ["pending", "running", "completed", "failed"]},
                       "total_tasks": {"type": "integer"}, "completed_tasks": {"type": "integer"}, "created": TIMESTAMP},
    },
    "CreateTasksRequest": {
        "type": "object", "required": ["pilot", "documents"],
        "properties": {
            "pilot": {"type": "string", "description": "The handle of a published agent of the space's organization."},
            "documents": {"type": "array", "minItems": 1, "maxItems": 10000, "items": {
                "type": "object", "required": ["name", "contact_number"],
                "properties": {"name": {"type": "string", "minLength": 1, "pattern": "\\S"},
                               "contact_number": {"type": "string", "minLength": 1, "pattern": "\\S"},
                               "document_id": STR},
                "description": "Stored whole as the task's input; extra keys are kept."}},
            "context": {"type": "string", "description": "The objective shared by every task."},
            "schedule": {"type": "object", "required": ["type"], "properties": {
                "type": {"type": "string", "enum": ["now", "at"]}, "time": TIMESTAMP},
                "description": "now (the default), or at a time (the tasks wait until then)."},
        },
    },
    "CreatedRun": {
        "type": "object", "required": ["run_id", "task_ids", "status"],
        "properties": {"run_id": STR, "task_ids": {"type": "array", "items": STR},
                       "status": {"type": "string", "const": "pending"}},
    },
    "SpaceList": envelope_list("Space", "The organization's spaces."),
    "AgentList": envelope_list("Agent", "The organization's agents."),
    "TaskList": envelope_list("Task", "Tasks."),
    "RunList": envelope_list("Run", "The space's runs, newest first."),
    "ExecutionList": envelope_list("Execution", "The agent's runs, newest first."),
    "SpaceEnvelope": envelope_object("Space", 200),
    "CreatedRunEnvelope": envelope_object("CreatedRun", 200),
})
parameters.update({
    "OrgHandleOfResource": {"name": "Org-Handle", "in": "header", "required": False,
                            "description": "Optional: the organization is the resource's; when sent it must be that one.",
                            "schema": {"type": "string"}},
    "SpaceToken": {"name": "space_token", "in": "path", "required": True, "schema": {"type": "string"}},
    "AgentHandle": {"name": "agent_handle", "in": "path", "required": True, "schema": {"type": "string"}},
    "RunID": {"name": "run_id", "in": "path", "required": True, "schema": {"type": "string"}},
    "IdempotencyKey": {"name": "Idempotency-Key", "in": "header", "required": False,
                       "description": "Answered once: a retry with the same key and body gets the first answer, another body 409.",
                       "schema": {"type": "string", "minLength": 1, "maxLength": 255}},
})
BARE_404 = {"404": {"description": "Agent not found (no status_code, as documented).",
                    "content": {"application/json": {"schema": ref("BareError")}}}}
create_tasks = operation(
    "createTasks", "TSK-2: one run and one task per document (also served at POST /spaces/{space_token}/tasks/).",
    {**json_success("200", "Task Created Successfully", ref("CreatedRunEnvelope")),
     "206": {"description": "Task creation failed (e.g. the agent is not published); no status_code, as documented.",
             "content": {"application/json": {"schema": ref("BareError")}}}},
    tags=["tasks"], params=("SpaceToken", "OrgHandleOfResource", "IdempotencyKey"), body="CreateTasksRequest",
    extra_errors=("404", "409"))
create_tasks_b = dict(create_tasks, operationId="createTasksAlternate",
                      summary="TSK-2b: the same as POST /spaces/{space_token}/tasks/create/.")
paths.update({
    f"{PLATFORM}/spaces/": {"get": operation(
        "listSpaces", "SPC-1: the organization's spaces.", json_success("200", "Spaces fetched successfully", ref("SpaceList")),
        tags=["spaces"], params=("OrgHandle", "Page", "PageSize"))},
    f"{PLATFORM}/spaces/{{space_token}}/": {"get": operation(
        "getSpace", "SPC-2: one space.", json_success("200", "Space fetched successfully", ref("SpaceEnvelope")),
        tags=["spaces"], params=("SpaceToken", "OrgHandleOfResource"), extra_errors=("404",))},
    f"{PLATFORM}/spaces/{{space_token}}/tasks/": {
        "get": operation(
            "listSpaceTasks", "TSK-1: the space's tasks, newest first.",
            json_success("200", "Tasks Fetched Successfully", ref("TaskList")), tags=["tasks"],
            params=("SpaceToken", "OrgHandleOfResource", "Page", "PageSize"), extra_errors=("404",)),
        "post": create_tasks_b,
    },
    f"{PLATFORM}/spaces/{{space_token}}/tasks/create/": {"post": create_tasks},
    f"{PLATFORM}/spaces/{{space_token}}/runs/": {"get": operation(
        "listRuns", "RUN-1: the space's runs, newest first.", json_success("200", "Runs Fetched Successfully", ref("RunList")),
        tags=["runs"], params=("SpaceToken", "OrgHandleOfResource", "Page", "PageSize"), extra_errors=("404",))},
    f"{PLATFORM}/spaces/{{space_token}}/runs/{{run_id}}/tasks/": {"get": operation(
        "listRunTasks", "RUN-2: a run's tasks, in document order.",
        json_success("200", "Tasks Fetched Successfully", ref("TaskList")), tags=["runs"],
        params=("SpaceToken", "RunID", "OrgHandleOfResource", "Page", "PageSize"), extra_errors=("404",))},
    f"{PLATFORM}/agents/": {"get": operation(
        "listAgents", "AGT-1: the organization's agents.", json_success("200", "Agents fetched successfully", ref("AgentList")),
        tags=["agents"], params=("OrgHandle", "Page", "PageSize"))},
    f"{PLATFORM}/agents/{{agent_handle}}/tasks/": {"get": {**operation(
        "listAgentTasks", "AGT-2: the tasks assigned to the agent, newest first.",
        json_success("200", "Tasks Fetched Successfully", ref("TaskList")), tags=["agents"],
        params=("AgentHandle", "OrgHandleOfResource", "Page", "PageSize"))}},
    f"{PLATFORM}/agents/{{agent_handle}}/executions/": {"get": operation(
        "listAgentExecutions", "AGT-3: the runs the agent carries out, newest first.",
        json_success("200", "Executions fetched successfully", ref("ExecutionList")), tags=["agents"],
        params=("AgentHandle", "OrgHandleOfResource", "Page", "PageSize"), extra_errors=("404",))},
})
paths[f"{PLATFORM}/agents/{{agent_handle}}/tasks/"]["get"]["responses"].update(BARE_404)


# Analytics and billing (issue 9, items 5 and 6; platform-api.md 2.7 and 2.8).
INT = {"type": "integer"}
NUM = {"type": "number"}
MONEY = {"type": "string", "pattern": "^-?[0-9]+\\.[0-9]{2}$"}
schemas.update({
    "Analytics": {
        "type": "object",
        "required": ["call_analytics", "call_status", "total_calls", "completed_calls", "failed_calls",
                     "avg_duration_seconds", "total_tasks", "task_status_breakdown"],
        "properties": {
            "call_analytics": {"type": "object", "required": ["total_calls", "interested", "call_back", "send_details",
                                                             "not_interested", "not_connected", "failed", "avg_success_score"],
                               "properties": {k: INT for k in ["total_calls", "interested", "call_back", "send_details",
                                                               "not_interested", "not_connected", "failed"]}
                               | {"avg_success_score": NUM}},
            "call_status": {"type": "object", "required": ["total_tasks", "completed", "failed", "pending", "in_progress",
                                                          "success_rate"],
                            "properties": {k: INT for k in ["total_tasks", "completed", "failed", "pending", "in_progress"]}
                            | {"success_rate": NUM}},
            "total_calls": INT, "completed_calls": INT, "failed_calls": INT, "avg_duration_seconds": NUM, "total_tasks": INT,
            "task_status_breakdown": {"type": "object", "required": ["pending", "running", "completed", "failed"],
                                      "properties": {k: INT for k in ["pending", "running", "completed", "failed"]}},
        },
    },
    "AnalyticsEnvelope": envelope_object("Analytics", 200),
    "Invoice": {
        "type": "object",
        "required": ["id", "invoice_number", "amount", "tax_amount", "currency", "status", "charge_type", "invoice_date",
                     "due_date", "payment_at", "period", "calls", "billable_seconds", "billed_units", "billing_unit"],
        "properties": {
            "id": INT, "invoice_number": {"type": "string", "pattern": "^INV-[0-9]{5,}$"}, "amount": MONEY,
            "tax_amount": MONEY, "currency": {"type": "string"},
            "status": {"type": "string", "enum": ["paid", "pending", "failed"]}, "charge_type": {"type": "string"},
            "invoice_date": TIMESTAMP, "due_date": TIMESTAMP, "payment_at": nullable(TIMESTAMP),
            "period": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}, "calls": INT, "billable_seconds": INT,
            "billed_units": INT, "billing_unit": {"type": "string", "enum": ["minute", "second"]},
        },
    },
    "InvoiceList": {
        "type": "object", "required": ["count", "status_code", "message", "data", "results"],
        "description": "The invoices under both data and results (G-20).",
        "properties": {"count": INT, "status_code": {"type": "integer", "const": 200}, "message": {"type": "string"},
                       "data": {"type": "array", "items": ref("Invoice")},
                       "results": {"type": "array", "items": ref("Invoice")}},
    },
})
paths.update({
    f"{PLATFORM}/organisation/analytics/": {"get": operation(
        "getAnalytics", "ANA-1: calls and tasks of the organization's contact spaces (or one space), both documented shapes.",
        json_success("200", "Analytics fetched successfully", ref("AnalyticsEnvelope")), tags=["analytics"],
        params=("OrgHandle", "SpaceTokenQuery"), extra_errors=("404",))},
    f"{PLATFORM}/organisation/billing/": {"get": operation(
        "listInvoices", "BIL-1: the organization's invoices, newest first.",
        json_success("200", "Billing data fetched successfully", ref("InvoiceList")), tags=["billing"],
        params=("OrgHandle", "Page", "PageSize"))},
})
parameters["SpaceTokenQuery"] = {"name": "space_token", "in": "query", "required": False,
                                 "description": "One space instead of all contact spaces.", "schema": {"type": "string"}}


# The dashboard (issue 8): HTML pages for browsers, on the same port. Described here so the route
# coverage test and Schemathesis see every route; a page without a session redirects to sign-in.
HTML = {"text/html": {"schema": {"type": "string"}}}


def html(description):
    return {"description": description, "content": HTML}


def dashboard_page(operation_id, summary, *, query=(), success="200"):
    responses = {
        "303": {"description": "Not signed in: to /dashboard/sign-in (or, for /dashboard/, to the Hub)."},
        "400": html("A filter or page the list cannot use."),
        "403": html("Not a member of that organization, or not allowed to see this page."),
        "431": ref("431", "responses"),
    }
    if success:
        responses[success] = html("The page.")
    parameters = [{"name": "org", "in": "query", "description": "The organization the page is about (its handle).",
                   "schema": {"type": "string"}}]
    parameters += [dict(q) for q in query]
    return {"operationId": operation_id, "summary": summary, "tags": ["dashboard"], "parameters": parameters,
            "security": [{}, {"DashboardSession": []}], "responses": responses}


def dashboard_form(operation_id, summary, fields, *, page_answer=False, path_params=()):
    responses = {
        "303": {"description": "Done, or not signed in: to the next page."},
        "400": html("The form could not be read or a field is invalid."),
        "403": html("The form's CSRF token is missing or wrong, or the user may not do this."),
        "404": html("No such key or member."),
        "413": {"description": "The body is over the limit.", "content": {**HTML, "application/json": {"schema": ref("Error")}}},
        "431": ref("431", "responses"),
    }
    if page_answer:
        responses["200"] = html("The page again, with the result (a new token is shown here once).")
    properties = {name: {"type": "string"} for name in fields}
    return {
        "operationId": operation_id, "summary": summary, "tags": ["dashboard"],
        "parameters": [ref(p, "parameters") for p in path_params],
        "security": [{}, {"DashboardSession": []}],
        "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {
            "schema": {"type": "object", "properties": properties}}}},
        "responses": responses,
    }


PAGE_PARAMS = ({"name": "page", "in": "query", "schema": {"type": "string"}},
               {"name": "page_size", "in": "query", "schema": {"type": "string"}})
paths.update({
    "/": {"get": {"operationId": "root", "summary": "To the dashboard.", "tags": ["dashboard"],
                  "responses": {"303": {"description": "To /dashboard/."}, "431": ref("431", "responses")}}},
    "/dashboard/": {"get": dashboard_page("dashboardHome", "To the Hub when signed in, else to sign-in.", success=None)},
    "/dashboard/assets/app.css": {"get": {"operationId": "dashboardStyles", "summary": "The dashboard's stylesheet.",
                                          "tags": ["dashboard"], "responses": {
                                              "200": {"description": "CSS.", "content": {"text/css": {"schema": {"type": "string"}}}},
                                              "431": ref("431", "responses")}}},
    "/dashboard/assets/app.js": {"get": {"operationId": "dashboardScript", "summary": "The dashboard's script.",
                                         "tags": ["dashboard"], "responses": {
                                             "200": {"description": "JavaScript.",
                                                     "content": {"text/javascript": {"schema": {"type": "string"}}}},
                                             "431": ref("431", "responses")}}},
    "/dashboard/sign-in": {
        "get": dashboard_page("dashboardSignInPage", "The sign-in form (to the Hub when already signed in)."),
        "post": {**dashboard_form("dashboardSignIn", "Sign in: a session cookie and to the Hub.", ["csrf", "email", "password"]),
                 "security": [{}]},
    },
    "/dashboard/sign-out": {"post": dashboard_form("dashboardSignOut", "End this session on every node.", ["csrf"])},
    "/dashboard/hub": {"get": dashboard_page("dashboardHub", "The user's organizations and what to do next.")},
    "/dashboard/password": {
        "get": dashboard_page("dashboardPasswordPage", "The change-password form."),
        "post": dashboard_form("dashboardChangePassword", "Change the password; other sessions end.",
                               ["csrf", "current_password", "new_password", "confirm_password"], page_answer=True),
    },
    "/dashboard/api-keys": {
        "get": dashboard_page("dashboardKeys", "The user's API keys and Generate New API Key."),
        "post": dashboard_form("dashboardGenerateKey", "Generate a key; the token is shown on the answer, once.",
                               ["csrf", "org", "name", "scope", "restrict_org", "expires"], page_answer=True),
    },
    "/dashboard/api-keys/{key_id}/delete": {"post": dashboard_form(
        "dashboardDeleteKey", "Delete (revoke) one of the user's keys.", ["csrf", "org"], path_params=("KeyID",))},
    "/dashboard/api-keys/{key_id}/rotate": {"post": dashboard_form(
        "dashboardRotateKey", "Rotate one of the user's keys; the new token is shown once.", ["csrf", "org", "grace"],
        page_answer=True, path_params=("KeyID",))},
    "/dashboard/settings": {"get": dashboard_page("dashboardSettings", "The organization's handle and members.")},
    "/dashboard/settings/members": {"post": dashboard_form(
        "dashboardAddMember", "Add an existing user to the organization (owners and admins).", ["csrf", "org", "email", "role"])},
    "/dashboard/settings/members/{user_id}/role": {"post": dashboard_form(
        "dashboardChangeRole", "Change a member's role (owners and admins).", ["csrf", "org", "role"], path_params=("UserID",))},
    "/dashboard/settings/members/{user_id}/remove": {"post": dashboard_form(
        "dashboardRemoveMember", "Remove a member (never the last owner).", ["csrf", "org"], path_params=("UserID",))},
    "/dashboard/security-log": {"get": dashboard_page(
        "dashboardSecurityLog", "The organization's audit log (owners and admins) or the user's own.",
        query=PAGE_PARAMS + tuple({"name": n, "in": "query", "schema": {"type": "string"}}
                                  for n in ("scope", "action", "actor", "start_date", "end_date")))},
    "/dashboard/bridges": {"get": dashboard_page("dashboardBridges", "The organization's bridges.", query=PAGE_PARAMS)},
    "/dashboard/numbers": {"get": dashboard_page(
        "dashboardNumbers", "The organization's numbers.",
        query=PAGE_PARAMS + ({"name": "include_assigned", "in": "query", "schema": {"type": "string"}},))},
    "/dashboard/trunks": {"get": dashboard_page("dashboardTrunks", "The organization's trunks.", query=PAGE_PARAMS)},
    "/dashboard/call-logs": {"get": dashboard_page(
        "dashboardCallLogs", "The organization's call logs.",
        query=PAGE_PARAMS + tuple({"name": n, "in": "query", "schema": {"type": "string"}}
                                  for n in ("call_type", "call_status", "start_date", "end_date")))},
    "/dashboard/spaces": {
        "get": dashboard_page("dashboardSpaces", "The organization's spaces; owners and admins create and archive."),
        "post": dashboard_form("dashboardCreateSpace", "Create a space (owners and admins).",
                               ["csrf", "org", "name", "content_type", "agent"]),
    },
    "/dashboard/spaces/{token}/edit": {"post": dashboard_form(
        "dashboardEditSpace", "Rename a space or change its agent (owners and admins).", ["csrf", "org", "name", "agent"],
        path_params=("DashboardSpaceToken",))},
    "/dashboard/spaces/{token}/archive": {"post": dashboard_form(
        "dashboardArchiveSpace", "Archive a space (owners and admins).", ["csrf", "org"], path_params=("DashboardSpaceToken",))},
    "/dashboard/agents": {
        "get": dashboard_page("dashboardAgents", "The organization's agents; owners and admins create, publish, archive."),
        "post": dashboard_form("dashboardCreateAgent", "Create an agent (owners and admins).",
                               ["csrf", "org", "handle", "name", "type", "purpose", "publish"]),
    },
    "/dashboard/agents/{handle}/edit": {"post": dashboard_form(
        "dashboardEditAgent", "Edit an agent's name, type and purpose (owners and admins).", ["csrf", "org", "name", "type", "purpose"],
        path_params=("DashboardAgentHandle",))},
    "/dashboard/agents/{handle}/publish": {"post": dashboard_form(
        "dashboardPublishAgent", "Publish an agent.", ["csrf", "org"], path_params=("DashboardAgentHandle",))},
    "/dashboard/agents/{handle}/archive": {"post": dashboard_form(
        "dashboardArchiveAgent", "Archive an agent.", ["csrf", "org"], path_params=("DashboardAgentHandle",))},
    "/dashboard/runs": {"get": dashboard_page(
        "dashboardRuns", "A space's runs, or one run's tasks (the page reloads itself while the run is in progress).",
        query=PAGE_PARAMS + tuple({"name": n, "in": "query", "schema": {"type": "string"}} for n in ("space", "run")))},
    "/dashboard/analytics": {"get": dashboard_page(
        "dashboardAnalytics", "Cards (Total Calls, Interested Calls, Not Connected, Avg. Success Score) and calls per day.")},
    "/dashboard/invoices": {"get": dashboard_page("dashboardInvoices", "The organization's invoices.", query=PAGE_PARAMS)},
})
parameters["DashboardSpaceToken"] = {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}
parameters["DashboardAgentHandle"] = {"name": "handle", "in": "path", "required": True, "schema": {"type": "string"}}
parameters["UserID"] = {"name": "user_id", "in": "path", "required": True, "description": "The member's user id.",
                        "schema": {"type": "integer", "minimum": 1}}


document = {
    "openapi": "3.1.0",
    "info": {
        "title": "Unpod Platform API (self-hosted)",
        "version": "2.0.0",
        "description": (
            "The Unpod platform's REST API v2, served by Unpod Platform for Swift. Every answer carries "
            "X-Request-ID; every error is the envelope {status_code, message, code}. Paths answer with and "
            "without the trailing slash."),
    },
    "servers": [{"url": "http://127.0.0.1:8000"}],
    "tags": [{"name": t} for t in ["organizations", "api-keys", "access-tokens", "call-logs", "audit-log", "telephony", "voice-profiles", "spaces", "agents", "tasks", "runs", "analytics", "billing", "operations", "dashboard"]],
    "paths": paths,
    "components": {
        "securitySchemes": {
            "TokenAuth": {
                "type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <api key>` (or `Bearer <api key>`).",
            },
            "MetricsToken": {"type": "http", "scheme": "bearer"},
            "DashboardSession": {
                "type": "apiKey", "in": "cookie", "name": "unpod_session",
                "description": "The dashboard's session, set by POST /dashboard/sign-in.",
            },
        },
        "parameters": parameters,
        "responses": responses,
        "schemas": schemas,
    },
}

text = json.dumps(document, indent=2, sort_keys=False) + "\n"
(ROOT / "openapi.json").write_text(text)
swift = (
    "// Generated by scripts/openapi.py from the same data as openapi.json: edit the script, not this file.\n\n"
    "/// The API description served at `GET /api/v2/platform/openapi.json`.\n"
    "enum OpenAPIDocument {\n"
    "    static let json = #\"\"\"\n" + text + "\"\"\"#\n}\n"
)
(ROOT / "Sources/UnpodServer/OpenAPI/OpenAPIDocument.swift").parent.mkdir(parents=True, exist_ok=True)
(ROOT / "Sources/UnpodServer/OpenAPI/OpenAPIDocument.swift").write_text(swift)
print(f"wrote openapi.json and OpenAPIDocument.swift ({len(paths)} paths)")

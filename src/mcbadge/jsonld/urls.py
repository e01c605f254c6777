"""The well-known URLs of the documents mcbadge knows offline, and the network limits.

Plain constants: the JSON-LD contexts bundled as package data, the pinned OB3 JSON Schemas and
the edubadges documents, and the timeout / size limit of every fetch.
"""

from __future__ import annotations

__all__ = [
    "DATA_INTEGRITY_V1_CONTEXT_URL",
    "DATA_INTEGRITY_V2_CONTEXT_URL",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "ED25519_2020_CONTEXT_URL",
    "EDUBADGES_MICROCREDENTIAL_SCHEMA_URL",
    "EDUCREDENTIAL_CONTEXT_URL",
    "MULTIKEY_V1_CONTEXT_URL",
    "OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL",
    "OB3_CONTEXT_3_0_0_URL",
    "OB3_CONTEXT_3_0_1_URL",
    "OB3_CONTEXT_3_0_2_URL",
    "OB3_CONTEXT_3_0_3_URL",
    "OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL",
    "OB3_EXTENSIONS_CONTEXT_URL",
    "OB3_GET_OPEN_BADGE_CREDENTIALS_RESPONSE_SCHEMA_URL",
    "OB3_IMSX_STATUS_INFO_SCHEMA_URL",
    "OB3_PROFILE_SCHEMA_URL",
    "STATUS_LIST_V1_CONTEXT_URL",
    "VC_V1_CONTEXT_URL",
    "VC_V2_CONTEXT_URL",
]


# --- well-known URLs ------------------------------------------------------------------------

VC_V2_CONTEXT_URL = "https://www.w3.org/ns/credentials/v2"
VC_V1_CONTEXT_URL = "https://www.w3.org/2018/credentials/v1"
DATA_INTEGRITY_V2_CONTEXT_URL = "https://w3id.org/security/data-integrity/v2"
DATA_INTEGRITY_V1_CONTEXT_URL = "https://w3id.org/security/data-integrity/v1"
MULTIKEY_V1_CONTEXT_URL = "https://w3id.org/security/multikey/v1"
ED25519_2020_CONTEXT_URL = "https://w3id.org/security/suites/ed25519-2020/v1"
STATUS_LIST_V1_CONTEXT_URL = "https://www.w3.org/ns/credentials/status/v1"
OB3_CONTEXT_3_0_3_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB3_CONTEXT_3_0_2_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"
OB3_CONTEXT_3_0_1_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json"
OB3_CONTEXT_3_0_0_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context.json"
OB3_EXTENSIONS_CONTEXT_URL = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"

_OB3_SCHEMA_BASE = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL = (
    _OB3_SCHEMA_BASE + "ob_v3p0_achievementcredential_schema.json"
)
OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL = (
    _OB3_SCHEMA_BASE + "ob_v3p0_endorsementcredential_schema.json"
)
OB3_PROFILE_SCHEMA_URL = _OB3_SCHEMA_BASE + "ob_v3p0_profile_schema.json"
OB3_GET_OPEN_BADGE_CREDENTIALS_RESPONSE_SCHEMA_URL = (
    _OB3_SCHEMA_BASE + "ob_v3p0_getopenbadgecredentialsresponse_schema.json"
)
OB3_IMSX_STATUS_INFO_SCHEMA_URL = _OB3_SCHEMA_BASE + "ob_v3p0_imsx_statusinfo_schema.json"

_EDUCREDENTIALS_BASE = (
    "https://raw.githubusercontent.com/educredentials/obv3-examples/refs/heads/main/"
)
EDUCREDENTIAL_CONTEXT_URL = _EDUCREDENTIALS_BASE + "contexts/educredential.json"
EDUBADGES_MICROCREDENTIAL_SCHEMA_URL = _EDUCREDENTIALS_BASE + "schemas/microcredential.json"

DEFAULT_TIMEOUT = 10.0
"""Seconds for connecting and for each read when the network is allowed."""

DEFAULT_MAX_BYTES = 1024 * 1024
"""Largest document accepted from the network (1 MiB)."""

_CACHE_ENV = "MCBADGE_CACHE_DIR"
_JSON_ACCEPT = "application/ld+json, application/json;q=0.9"

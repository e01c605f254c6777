"""What every check family shares: the credential types and contexts it knows, the core checks,
and small readers of credential members.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from mcbadge._internal.dates import DateTimeSyntaxError, parse_datetime
from mcbadge.errors import (
    InvalidInputError,
)
from mcbadge.jsonld.urls import (
    OB3_CONTEXT_3_0_0_URL,
    OB3_CONTEXT_3_0_1_URL,
    OB3_CONTEXT_3_0_2_URL,
    OB3_CONTEXT_3_0_3_URL,
    VC_V1_CONTEXT_URL,
)

_VC_TYPE: Final = "VerifiableCredential"
_VP_TYPE: Final = "VerifiablePresentation"
_ACHIEVEMENT_TYPES: Final = frozenset({"AchievementCredential", "OpenBadgeCredential"})
_ENDORSEMENT_TYPE: Final = "EndorsementCredential"
_OB3_TYPES: Final = _ACHIEVEMENT_TYPES | {_ENDORSEMENT_TYPE}
_OB3_CONTEXTS: Final = frozenset(
    {OB3_CONTEXT_3_0_3_URL, OB3_CONTEXT_3_0_2_URL, OB3_CONTEXT_3_0_1_URL, OB3_CONTEXT_3_0_0_URL}
)
# Where 1EdTech's examples of the VC 1.1 era pointed before the purl.imsglobal.org URLs.
_LEGACY_OB3_CONTEXTS: Final = frozenset(
    {"https://imsglobal.github.io/openbadges-specification/context.json"}
)
_LEGACY_PROOF_TYPE: Final = "Ed25519Signature2020"
_JWS_SHAPE: Final = re.compile(r"[A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]*)+")
_ENVELOPED_PREFIXES: Final = ("data:application/vc+jwt,", "data:application/vc-ld+jwt,")
_NOT_READ: Final = "not checked: the input could not be read as a credential"
_CORE_CHECKS: Final = (
    "jsonld.strict",
    "context",
    "type",
    "structure",
    "schema.ob3",
    "subject.identifier",
    "proof.issuer_binding",
    "proof.purpose",
    "status",
    "valid_from",
    "valid_until",
    "recipient",
    "trusted_issuer",
)


# --------------------------------------------------------------------------- small helpers


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _type_names(value: Any) -> list[str]:
    return [t for t in _as_list(value) if isinstance(t, str)]


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) and issuer else None


def _holder_id(presentation: Mapping[str, Any]) -> str | None:
    holder = presentation.get("holder")
    if isinstance(holder, Mapping):
        holder = holder.get("id")
    return holder if isinstance(holder, str) and holder else None


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parse_time(value: Any, what: str) -> datetime:
    if not isinstance(value, str):
        raise InvalidInputError(
            f"{what} must be a dateTime string, got {value!r}", code="date_malformed"
        )
    try:
        return parse_datetime(value)
    except DateTimeSyntaxError as exc:
        raise InvalidInputError(
            f"{what} {value!r} is not a dateTime with time zone: {exc}", code="date_malformed"
        ) from exc


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _is_legacy_context(credential: Mapping[str, Any]) -> bool:
    contexts = _as_list(credential.get("@context"))
    return bool(contexts) and contexts[0] == VC_V1_CONTEXT_URL


def _proofs_of(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    proof = document.get("proof")
    if proof is None:
        return []
    if isinstance(proof, Mapping):
        return [proof]
    if isinstance(proof, list) and proof and all(isinstance(p, Mapping) for p in proof):
        return list(proof)
    raise InvalidInputError(
        "proof must be an object or a non-empty array of objects", code="proof_malformed"
    )

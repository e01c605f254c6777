"""The claims of a VC-JWT and the credential they repeat (OB3 §8.2, VC-JOSE-COSE).

What a signer writes beside the credential — ``iss`` (``issuer.id``), ``jti`` (``id``),
``sub`` (``credentialSubject.id``), ``nbf`` / ``exp`` (``validFrom`` / ``validUntil`` as
NumericDates) — and what a verifier checks: that each claim present agrees with the
credential (:func:`check_jwt_claims`, a list of :class:`ClaimProblem`), and the validity
window the claims give (:func:`claim_times`). The JOSE part (header, signature, strict
decoding) is :mod:`mcbadge.proofs.jwt`, which re-exports these names.

May import: :mod:`mcbadge.errors`, :mod:`mcbadge._internal`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from mcbadge.errors import SigningError

__all__ = ["REGISTERED_CLAIMS", "ClaimProblem", "check_jwt_claims", "claim_times"]

REGISTERED_CLAIMS: Final[tuple[str, ...]] = ("iss", "sub", "aud", "exp", "nbf", "iat", "jti")
"""RFC 7519 registered claim names; removed from the payload to recover the credential."""

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


_DATETIME_RE: Final = re.compile(
    r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})"
)


@dataclass(frozen=True)
class ClaimProblem:
    """One disagreement between the JWT claims and the credential (OB3 §8.2 verification).

    Attributes:
        claim: The claim concerned (``iss``, ``sub``, ``nbf``, ``jti``, ``exp``).
        code: ``jwt_claim_missing``, ``jwt_claim_mismatch``, ``jwt_claim_invalid`` or
            ``jwt_payload_not_credential``.
        message: What is wrong, for a person.

    Example:
        >>> check_jwt_claims({"@context": [], "issuer": "https://a.nl",
        ...     "validFrom": "2025-01-01T00:00:00Z", "nbf": 1735689600})[0].claim
        'iss'
    """

    claim: str
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """Return ``{"claim", "code", "message"}``."""
        return {"claim": self.claim, "code": self.code, "message": self.message}


def _parse_datetime(value: Any) -> datetime | None:
    """Parse an XSD dateTime with time zone; ``None`` when it is not one."""
    if not isinstance(value, str) or not _DATETIME_RE.fullmatch(value):
        return None
    text = value
    match = re.search(r"\.([0-9]+)", text)
    if match and len(match.group(1)) > 6:
        text = text[: match.start(1)] + match.group(1)[:6] + text[match.end(1) :]
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _numeric_date(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(seconds=1)


def _claim_time(value: Any) -> datetime | None:
    """A NumericDate claim as an aware datetime; ``None`` when it is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    # clamp to what datetime holds; a claim beyond year 9999 is "never" / "always" anyway
    return _EPOCH + timedelta(seconds=max(min(float(value), 253402300799.0), -62135596800.0))


def claim_times(payload: Mapping[str, Any]) -> tuple[datetime | None, datetime | None]:
    """The ``nbf`` and ``exp`` claims of a JWT payload as aware datetimes.

    A VC-JWT is valid only inside both its credential's ``validFrom``/``validUntil`` and its
    own ``nbf``/``exp`` (RFC 7519 §4.1.4-5), even where the credential has no
    ``validUntil`` (issue 10, F8). Verifiers compare these with their clock.

    Args:
        payload: The decoded JWT payload.

    Returns:
        ``(nbf, exp)``; an element is ``None`` when the claim is absent or not a number
        (:func:`check_jwt_claims` reports the latter as ``jwt_claim_invalid``).

    Raises:
        Nothing.

    Example:
        >>> claim_times({"nbf": 0, "exp": 86400})[1].isoformat()
        '1970-01-02T00:00:00+00:00'
    """
    return _claim_time(payload.get("nbf")), _claim_time(payload.get("exp"))


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, Mapping) and isinstance(issuer.get("id"), str):
        return str(issuer["id"])
    return None


def _subject_id(credential: Mapping[str, Any]) -> str | None:
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    if isinstance(subject, Mapping) and isinstance(subject.get("id"), str):
        return str(subject["id"])
    return None


def _split_payload(payload: Mapping[str, Any]) -> tuple[dict[str, Any], bool] | None:
    # Shallow: callers read the credential; the payload was parsed for this call (or is the
    # caller's, in check_jwt_claims, which only reads it). A deep copy here cost 60% of a
    # verification.
    if "@context" in payload:
        return {k: v for k, v in payload.items() if k not in REGISTERED_CLAIMS}, False
    vc = payload.get("vc")
    if isinstance(vc, Mapping):
        return dict(vc), True
    return None


def _claims_for(credential: Mapping[str, Any]) -> dict[str, Any]:
    claims: dict[str, Any] = {}
    issuer = _issuer_id(credential)
    if issuer is None:
        raise SigningError(
            "the credential has no issuer id (issuer as a string, or issuer.id): OB3 §8.2 "
            "requires the iss claim",
            code="jwt_missing_claim",
            field="issuer",
        )
    claims["iss"] = issuer
    if "id" in credential:
        if not isinstance(credential["id"], str):
            raise SigningError("the credential id must be a string", code="jwt_missing_claim")
        claims["jti"] = credential["id"]
    valid_from = _parse_datetime(credential.get("validFrom"))
    if valid_from is None:
        raise SigningError(
            "the credential needs validFrom as a dateTime with time zone (e.g. "
            f"'2025-01-01T00:00:00Z'), got {credential.get('validFrom')!r}: OB3 §8.2 derives "
            "the required nbf claim from it",
            code="jwt_missing_claim",
            field="validFrom",
        )
    claims["nbf"] = _numeric_date(valid_from)
    subject = _subject_id(credential)
    if subject is not None:
        claims["sub"] = subject
    if credential.get("validUntil") is not None:
        valid_until = _parse_datetime(credential["validUntil"])
        if valid_until is None:
            raise SigningError(
                f"validUntil {credential['validUntil']!r} is not a dateTime with time zone",
                code="jwt_missing_claim",
                field="validUntil",
            )
        claims["exp"] = _numeric_date(valid_until)
    return claims


def _check_date_claim(
    payload: Mapping[str, Any],
    credential: Mapping[str, Any],
    claim: str,
    field_name: str,
    *,
    required: bool,
) -> list[ClaimProblem]:
    problems: list[ClaimProblem] = []
    raw_date = credential.get(field_name)
    has_claim = claim in payload
    if raw_date is None:
        if has_claim and _claim_time(payload[claim]) is None:
            # not compared with the credential, but still the JWT's own validity (F8)
            problems.append(
                ClaimProblem(claim, "jwt_claim_invalid", f"{claim} must be a NumericDate number")
            )
            return problems
        if required:
            problems.append(
                ClaimProblem(
                    claim,
                    "jwt_claim_mismatch" if has_claim else "jwt_claim_missing",
                    f"the credential has no {field_name}, which the {claim} claim must equal",
                )
            )
        return problems
    if not has_claim:
        return [
            ClaimProblem(
                claim,
                "jwt_claim_missing",
                f"the credential has {field_name} but the JWT has no {claim} claim",
            )
        ]
    value = payload[claim]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return [ClaimProblem(claim, "jwt_claim_invalid", f"{claim} must be a NumericDate number")]
    moment = _parse_datetime(raw_date)
    if moment is None:
        return [
            ClaimProblem(
                claim,
                "jwt_claim_invalid",
                f"{field_name} {raw_date!r} is not a dateTime with time zone",
            )
        ]
    if math.floor(value) != _numeric_date(moment):
        problems.append(
            ClaimProblem(
                claim,
                "jwt_claim_mismatch",
                f"{claim}={value} does not match {field_name} {raw_date!r} "
                f"(= {_numeric_date(moment)})",
            )
        )
    return problems


def _check_id_claim(
    payload: Mapping[str, Any],
    claim: str,
    expected: str | None,
    field_name: str,
    *,
    required: bool,
) -> list[ClaimProblem]:
    if expected is None:
        if claim in payload:
            return [
                ClaimProblem(
                    claim,
                    "jwt_claim_mismatch",
                    f"the JWT has {claim}={payload[claim]!r} but the credential has no "
                    f"{field_name}",
                )
            ]
        if required:
            return [ClaimProblem(claim, "jwt_claim_missing", f"no {claim} and no {field_name}")]
        return []
    if claim not in payload:
        return [
            ClaimProblem(
                claim,
                "jwt_claim_missing",
                f"the JWT has no {claim} claim; it must be {field_name} ({expected!r})",
            )
        ]
    if payload[claim] != expected:
        return [
            ClaimProblem(
                claim,
                "jwt_claim_mismatch",
                f"{claim}={payload[claim]!r} does not match {field_name} {expected!r}",
            )
        ]
    return []


def check_jwt_claims(payload: Mapping[str, Any]) -> list[ClaimProblem]:
    """Compare the registered claims with the credential they wrap (OB3 §8.2 verification).

    Checks ``iss`` = issuer id (required), ``sub`` = ``credentialSubject.id``, ``jti`` =
    credential ``id``, ``nbf`` = ``validFrom`` (required), and ``exp`` = ``validUntil`` (required
    when ``validUntil`` is set). Legacy ``vc``-claim tokens are compared with ``issuanceDate``
    / ``expirationDate``. Times are compared to the second. Whether the credential is already
    valid or expired is not checked here (that needs a clock).

    Args:
        payload: The JWT payload (``JwtResult.payload``).

    Returns:
        The problems found; empty when the claims agree.

    Example:
        >>> check_jwt_claims({"@context": [], "id": "urn:x", "issuer": "https://a.nl",
        ...     "validFrom": "2010-01-01T00:00:00Z", "iss": "https://a.nl",
        ...     "jti": "urn:y", "nbf": 1262304000})[0].message
        "jti='urn:y' does not match id 'urn:x'"
    """
    if not isinstance(payload, Mapping):
        return [ClaimProblem("payload", "jwt_payload_not_credential", "payload is not an object")]
    split = _split_payload(payload)
    if split is None:
        return [
            ClaimProblem(
                "payload",
                "jwt_payload_not_credential",
                "the payload has neither @context nor a vc claim",
            )
        ]
    credential, legacy = split
    start_field = "validFrom"
    end_field = "validUntil"
    if legacy or ("validFrom" not in credential and "issuanceDate" in credential):
        start_field = "issuanceDate" if "issuanceDate" in credential else "validFrom"
        end_field = "expirationDate" if "expirationDate" in credential else "validUntil"
    credential_id = credential.get("id")
    problems: list[ClaimProblem] = []
    problems += _check_id_claim(payload, "iss", _issuer_id(credential), "issuer id", required=True)
    problems += _check_id_claim(
        payload, "sub", _subject_id(credential), "credentialSubject.id", required=False
    )
    problems += _check_id_claim(
        payload,
        "jti",
        credential_id if isinstance(credential_id, str) else None,
        "id",
        required=False,
    )
    problems += _check_date_claim(payload, credential, "nbf", start_field, required=True)
    problems += _check_date_claim(payload, credential, "exp", end_field, required=False)
    return problems

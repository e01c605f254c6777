"""The structure rules of the VC Data Model 2.0 that ``verify()`` checks and issuing refuses.

:func:`structure_problems` is a pure function over the credential's JSON: no clock, no key,
no network. ``verify()`` reports it as the check ``structure``; the issuing paths run the same
function before signing, so mcbadge never signs what it would then refuse.

============================  ===============================================================
rule (VC Data Model 2.0)      problem code
============================  ===============================================================
``credentialSubject``         ``subject_missing`` (absent, not objects), ``subject_empty``
                              (an object that makes no claim: ``{}``)
``credentialStatus``          ``status_malformed``: each entry an object with a ``type``;
                              an ``id``, when present, is one URL (§4.10)
``refreshService``            ``refresh_service_invalid``: each an object with a ``type`` (§5.4)
``termsOfUse``                ``terms_of_use_invalid``: each an object with a ``type`` (§5.5)
``evidence``                  ``evidence_invalid``: each an object with a ``type`` (§5.6)
``credentialSchema``          ``credential_schema_invalid``: each an object with a URL ``id``
                              and a ``type`` (§4.11)
``relatedResource``           ``related_resource_invalid``: objects with a unique URL ``id`` and
                              at least one well-formed ``digestSRI`` / ``digestMultibase``;
                              ``related_resource_digest_mismatch`` when mcbadge holds the
                              resource (a bundled context) and no digest of it matches (§5.3)
``validFrom`` / ``validUntil`` ``date_malformed`` (not an XML Schema ``dateTimeStamp``: a date,
                              a time and a time zone); ``validity_period_invalid`` when
                              ``validUntil`` is before ``validFrom`` (§4.9)
============================  ===============================================================

A VC 1.1 credential (``issuanceDate`` / ``expirationDate``) has its dates checked the same way.

Digests of related resources: a digest names the bytes of one version of the resource.
mcbadge holds the bundled JSON-LD contexts (as their npm packages ship them) and knows the
published digests of the W3C base context (``https://www.w3.org/ns/credentials/v2``) whose
bytes, as served by the W3C, differ from the npm copy in layout only. A digest of a resource
mcbadge holds must match one of these; a digest of any other resource cannot be checked
offline and is reported as such (the spec requires the check when the verifier *uses* the
resource; mcbadge uses only what it holds).

Example:
    >>> from mcbadge.verify.vcdm import structure_problems
    >>> [p.code for p in structure_problems({"credentialSubject": {}})]
    ['subject_empty']
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import Any, Final, Literal

from mcbadge._internal.dates import DateTimeSyntaxError, parse_datetime
from mcbadge._internal.multibase import multibase_decode
from mcbadge.errors import InvalidInputError, McBadgeError

__all__ = [
    "ALL_RULES",
    "PUBLISHED_DIGESTS",
    "Rule",
    "StructureProblem",
    "related_resources_unchecked",
    "structure_problems",
]


@dataclass(frozen=True)
class StructureProblem:
    """One broken VC Data Model rule.

    Attributes:
        code: The stable error code (``subject_empty``, ``status_malformed``…).
        path: Where in the credential (``credentialStatus[0].type``).
        message: What is wrong, for people.
    """

    code: str
    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """The problem as a JSON object.

        Returns:
            ``{"code": …, "path": …, "message": …}``.

        Example:
            >>> StructureProblem("subject_empty", "credentialSubject", "empty").to_dict()["code"]
            'subject_empty'
        """
        return {"code": self.code, "path": self.path, "message": self.message}


Rule = Literal[
    "subject",
    "status",
    "refresh_service",
    "terms_of_use",
    "evidence",
    "credential_schema",
    "related_resource",
    "dates",
    "validity_period",
]
"""The name of one group of rules (see the module docstring)."""

ALL_RULES: Final[tuple[Rule, ...]] = (
    "subject",
    "status",
    "refresh_service",
    "terms_of_use",
    "evidence",
    "credential_schema",
    "related_resource",
    "dates",
    "validity_period",
)
"""Every rule, in the order :func:`structure_problems` reports them."""

# Typed members: rule -> (property, error code, whether ``id`` is required, the section).
_TYPED_MEMBERS: Final[Mapping[str, tuple[str, str, bool, str]]] = {
    "status": ("credentialStatus", "status_malformed", False, "§4.10 Status"),
    "refresh_service": ("refreshService", "refresh_service_invalid", False, "§5.4 Refreshing"),
    "terms_of_use": ("termsOfUse", "terms_of_use_invalid", False, "§5.5 Terms of Use"),
    "evidence": ("evidence", "evidence_invalid", False, "§5.6 Evidence"),
    "credential_schema": (
        "credentialSchema",
        "credential_schema_invalid",
        True,
        "§4.11 Data Schemas",
    ),
}

# An absolute URL: a scheme, then no white space or control character (RFC 3986 §3.1).
_URL: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s\x00-\x1f\x7f]+")

# SRI hash-expression (SRI §3.5): hash-algo "-" base64-value, standard base64 with padding.
_SRI: Final = re.compile(r"(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})")
_SRI_SIZES: Final = {"sha256": 32, "sha384": 48, "sha512": 64}
# Multihash codes of the SHA-2 digests a digestMultibase may carry (multicodec table).
_MULTIHASH: Final = {0x12: "sha256", 0x20: "sha384", 0x13: "sha512"}
_RAW_SIZES: Final = {32: "sha256", 48: "sha384", 64: "sha512"}

PUBLISHED_DIGESTS: Final[Mapping[str, Mapping[str, frozenset[str]]]] = {
    # https://www.w3.org/ns/credentials/v2 as the W3C serves it (hex digests of its bytes).
    # July 2024 version: the digests the W3C VC Data Model 2.0 test suite uses in its
    # relatedResource fixture (tests/fixtures.js at w3c/vc-data-model-2.0-test-suite 6e07524).
    # February 2025 version: the digests that suite moved to (w3c/vc-data-model-2.0-test-suite
    # pull request 168, "the context file changed in February 2025").
    "https://www.w3.org/ns/credentials/v2": {
        "sha256": frozenset(
            {
                "24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9",
                "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
            }
        ),
        "sha384": frozenset(
            {
                "35239c36999d2155312091af194a1edb61634d6ad789a5e5b19f2aeb"
                "dd762dd9d1dcaada40eda7ef921c6b8c0ae107a0",
                "97f1eb8e5042356c805fdd61afa2c557663785e0794dcafa21e138fd"
                "38def18cb360133c221aa31d6896a6bf3e65b614",
            }
        ),
    },
}
"""Digests (hex, by algorithm) of published versions of resources whose bytes mcbadge does
not hold exactly; a related-resource digest that matches one of these is accepted."""


# --------------------------------------------------------------------------- helpers


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and _URL.fullmatch(value) is not None


def _has_type(entry: Mapping[str, Any]) -> bool:
    kind = entry.get("type")
    if isinstance(kind, str):
        return bool(kind)
    return isinstance(kind, list) and bool(kind) and all(isinstance(k, str) and k for k in kind)


def _short(value: Any, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- subject


def _subject_problems(credential: Mapping[str, Any]) -> list[StructureProblem]:
    if "credentialSubject" not in credential:
        return [
            StructureProblem(
                "subject_missing",
                "credentialSubject",
                "the credential has no credentialSubject (VC Data Model 2.0 §4.8)",
            )
        ]
    raw = credential["credentialSubject"]
    subjects = _as_list(raw)
    if not subjects:
        return [
            StructureProblem(
                "subject_missing", "credentialSubject", "credentialSubject is an empty array"
            )
        ]
    problems: list[StructureProblem] = []
    for index, subject in enumerate(subjects):
        path = "credentialSubject" if not isinstance(raw, list) else f"credentialSubject[{index}]"
        if not isinstance(subject, Mapping):
            problems.append(
                StructureProblem(
                    "subject_missing", path, f"{path} must be an object, got {_short(subject)}"
                )
            )
        elif not subject:
            problems.append(
                StructureProblem(
                    "subject_empty",
                    path,
                    f"{path} is an empty object: each subject must be the subject of one or "
                    "more claims (VC Data Model 2.0 §4.8)",
                )
            )
    return problems


# --------------------------------------------------------------------------- typed members


def _typed_member_problems(credential: Mapping[str, Any], rule: str) -> list[StructureProblem]:
    name, code, id_required, section = _TYPED_MEMBERS[rule]
    if name not in credential:
        return []
    raw = credential[name]
    entries = _as_list(raw)
    if not entries:
        return [StructureProblem(code, name, f"{name} is an empty array ({section})")]
    problems: list[StructureProblem] = []
    for index, entry in enumerate(entries):
        path = name if not isinstance(raw, list) else f"{name}[{index}]"
        if not isinstance(entry, Mapping):
            problems.append(
                StructureProblem(
                    code, path, f"{path} must be an object, got {_short(entry)} ({section})"
                )
            )
            continue
        if not _has_type(entry):
            got = _short(entry["type"]) if "type" in entry else "none"
            problems.append(
                StructureProblem(
                    code,
                    f"{path}.type",
                    f"{path} needs a type (a string or an array of strings), got {got} ({section})",
                )
            )
        if "id" not in entry and id_required:
            problems.append(
                StructureProblem(code, f"{path}.id", f"{path} needs an id, a URL ({section})")
            )
        elif "id" in entry and not _is_url(entry["id"]):
            problems.append(
                StructureProblem(
                    code,
                    f"{path}.id",
                    f"{path}.id must be one URL, got {_short(entry['id'])} ({section})",
                )
            )
    return problems


# --------------------------------------------------------------------------- related resources


@dataclass(frozen=True)
class _Digest:
    algorithm: str
    hex: str


def _sri_digests(value: Any, path: str) -> tuple[list[_Digest], list[StructureProblem]]:
    digests: list[_Digest] = []
    problems: list[StructureProblem] = []
    items = _as_list(value)
    if not items:
        return [], [StructureProblem("related_resource_invalid", path, f"{path} is empty")]
    for item in items:
        match = _SRI.fullmatch(item) if isinstance(item, str) else None
        decoded = b""
        if match is not None:
            try:
                decoded = base64.b64decode(match.group(2), validate=True)
            except (binascii.Error, ValueError):
                match = None
        if match is None or len(decoded) != _SRI_SIZES[match.group(1)]:
            problems.append(
                StructureProblem(
                    "related_resource_invalid",
                    path,
                    f"{path} {_short(item)} is not an SRI hash expression "
                    "(sha256-, sha384- or sha512- and the standard base64 digest)",
                )
            )
            continue
        digests.append(_Digest(match.group(1), decoded.hex()))
    return digests, problems


def _multibase_digests(value: Any, path: str) -> tuple[list[_Digest], list[StructureProblem]]:
    digests: list[_Digest] = []
    problems: list[StructureProblem] = []
    items = _as_list(value)
    if not items:
        return [], [StructureProblem("related_resource_invalid", path, f"{path} is empty")]
    for item in items:
        digest: _Digest | None = None
        if isinstance(item, str):
            try:
                raw = multibase_decode(item)
            except McBadgeError:
                raw = b""
            if len(raw) in _RAW_SIZES:  # a bare digest (what the W3C suite writes)
                digest = _Digest(_RAW_SIZES[len(raw)], raw.hex())
            elif len(raw) >= 2 and raw[0] in _MULTIHASH:  # a multihash (Data Integrity §2.6)
                algorithm = _MULTIHASH[raw[0]]
                if raw[1] == _SRI_SIZES[algorithm] and len(raw) == 2 + raw[1]:
                    digest = _Digest(algorithm, raw[2:].hex())
        if digest is None:
            problems.append(
                StructureProblem(
                    "related_resource_invalid",
                    path,
                    f"{path} {_short(item)} is not a multibase (z/u) SHA-256/384/512 digest "
                    "or multihash",
                )
            )
            continue
        digests.append(digest)
    return digests, problems


@functools.cache
def _held_digests(url: str) -> Mapping[str, frozenset[str]] | None:
    """Digests of the bytes mcbadge holds for ``url`` (a bundled context), plus published ones."""
    from mcbadge.jsonld.bundled import bundled_contexts

    entry = bundled_contexts().get(url)
    if entry is None:
        return None
    data = resources.files("mcbadge.jsonld").joinpath("contexts", entry.file).read_bytes()
    if hashlib.sha256(data).hexdigest() != entry.sha256:
        return None  # a modified installation: the loader refuses the context itself
    published = PUBLISHED_DIGESTS.get(url, {})
    return {
        algorithm: frozenset(
            {hashlib.new(algorithm, data).hexdigest()} | published.get(algorithm, set())
        )
        for algorithm in _SRI_SIZES
    }


def _related_resource_problems(credential: Mapping[str, Any]) -> list[StructureProblem]:
    if "relatedResource" not in credential:
        return []
    raw = credential["relatedResource"]
    entries = _as_list(raw)
    if not entries:
        return [
            StructureProblem(
                "related_resource_invalid", "relatedResource", "relatedResource is empty"
            )
        ]
    problems: list[StructureProblem] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        path = "relatedResource" if not isinstance(raw, list) else f"relatedResource[{index}]"
        if not isinstance(entry, Mapping):
            problems.append(
                StructureProblem(
                    "related_resource_invalid",
                    path,
                    f"{path} must be an object with id and a digest, got {_short(entry)} "
                    "(VC Data Model 2.0 §5.3)",
                )
            )
            continue
        resource_id = entry.get("id")
        if not _is_url(resource_id):
            problems.append(
                StructureProblem(
                    "related_resource_invalid",
                    f"{path}.id",
                    f"{path} needs an id that is a URL, got "
                    f"{_short(resource_id) if 'id' in entry else 'none'}",
                )
            )
        elif resource_id in seen:
            problems.append(
                StructureProblem(
                    "related_resource_invalid",
                    f"{path}.id",
                    f"{path}.id {resource_id} is listed twice; each related resource id must "
                    "be unique",
                )
            )
        else:
            seen.add(str(resource_id))
        if "mediaType" in entry and not isinstance(entry["mediaType"], str):
            problems.append(
                StructureProblem(
                    "related_resource_invalid", f"{path}.mediaType", "mediaType must be a string"
                )
            )
        if "digestSRI" not in entry and "digestMultibase" not in entry:
            problems.append(
                StructureProblem(
                    "related_resource_invalid",
                    path,
                    f"{path} needs a digestSRI or a digestMultibase",
                )
            )
            continue
        digests: list[_Digest] = []
        for member, read in (("digestSRI", _sri_digests), ("digestMultibase", _multibase_digests)):
            if member in entry:
                found, bad = read(entry[member], f"{path}.{member}")
                digests.extend(found)
                problems.extend(bad)
        known = _held_digests(resource_id) if isinstance(resource_id, str) else None
        if known is None:
            continue
        for digest in digests:
            if digest.hex not in known[digest.algorithm]:
                problems.append(
                    StructureProblem(
                        "related_resource_digest_mismatch",
                        path,
                        f"the {digest.algorithm} digest in {path} does not match {resource_id} "
                        "(mcbadge holds that resource and computed its digest)",
                    )
                )
    return problems


def related_resources_unchecked(credential: Mapping[str, Any]) -> list[str]:
    """The related resources whose digests cannot be checked offline (mcbadge does not hold them).

    Args:
        credential: The credential JSON.

    Returns:
        Their ids, in order.

    Example:
        >>> related_resources_unchecked(
        ...     {"relatedResource": [{"id": "https://x.example/a", "digestSRI": "…"}]}
        ... )
        ['https://x.example/a']
    """
    out: list[str] = []
    for entry in _as_list(credential.get("relatedResource", [])):
        if isinstance(entry, Mapping):
            resource_id = entry.get("id")
            if isinstance(resource_id, str) and _held_digests(resource_id) is None:
                out.append(resource_id)
    return out


# --------------------------------------------------------------------------- dates


_DATE_MEMBERS: Final = ("validFrom", "validUntil", "issuanceDate", "expirationDate")


def _parsed_dates(
    credential: Mapping[str, Any],
) -> tuple[dict[str, datetime], list[StructureProblem]]:
    parsed: dict[str, datetime] = {}
    problems: list[StructureProblem] = []
    for name in _DATE_MEMBERS:
        if name not in credential:
            continue
        value = credential[name]
        if not isinstance(value, str):
            problems.append(
                StructureProblem(
                    "date_malformed",
                    name,
                    f"{name} must be a dateTimeStamp string, got {_short(value)}",
                )
            )
            continue
        try:
            parsed[name] = parse_datetime(value)
        except DateTimeSyntaxError as exc:
            problems.append(
                StructureProblem(
                    "date_malformed",
                    name,
                    f"{name} {value!r} is not an XML Schema dateTimeStamp "
                    f"(e.g. 2026-01-01T00:00:00Z): {exc}",
                )
            )
    return parsed, problems


def _date_problems(credential: Mapping[str, Any]) -> list[StructureProblem]:
    return _parsed_dates(credential)[1]


def _validity_period_problems(credential: Mapping[str, Any]) -> list[StructureProblem]:
    parsed = _parsed_dates(credential)[0]
    problems: list[StructureProblem] = []
    for start, end in (("validFrom", "validUntil"), ("issuanceDate", "expirationDate")):
        if start in parsed and end in parsed and parsed[end] < parsed[start]:
            problems.append(
                StructureProblem(
                    "validity_period_invalid",
                    end,
                    f"{end} {credential[end]} is before {start} {credential[start]} "
                    "(VC Data Model 2.0 §4.9)",
                )
            )
    return problems


# --------------------------------------------------------------------------- entry point


def structure_problems(
    credential: Mapping[str, Any], *, rules: Collection[Rule] = ALL_RULES
) -> list[StructureProblem]:
    """Every VC Data Model 2.0 structure rule the credential breaks (empty when none).

    Args:
        credential: The credential JSON (signed or not; ``proof`` is not looked at).
        rules: Which groups of rules to apply (default all; ``verify()`` reports some of
            them under their own checks, e.g. ``status`` under the ``status`` check).

    Returns:
        The problems, in the order of :data:`ALL_RULES`.

    Raises:
        InvalidInputError: an unknown rule name (code ``invalid_option``).

    Example:
        >>> structure_problems({"credentialSubject": {"id": "did:example:1"},
        ...                     "evidence": {}})[0].code
        'evidence_invalid'
    """
    unknown = [r for r in rules if r not in ALL_RULES]
    if unknown:
        raise InvalidInputError(
            f"unknown structure rule(s) {unknown}; use some of {list(ALL_RULES)}",
            code="invalid_option",
        )
    if not isinstance(credential, Mapping):
        return [StructureProblem("credential_malformed", "", "a credential must be a JSON object")]
    problems: list[StructureProblem] = []
    for rule in ALL_RULES:
        if rule not in rules:
            continue
        if rule == "subject":
            problems.extend(_subject_problems(credential))
        elif rule in _TYPED_MEMBERS:
            problems.extend(_typed_member_problems(credential, rule))
        elif rule == "related_resource":
            problems.extend(_related_resource_problems(credential))
        elif rule == "dates":
            problems.extend(_date_problems(credential))
        else:
            problems.extend(_validity_period_problems(credential))
    return problems

"""The structure check family: ``@context`` list, ``type``, the OB3 structure, strict JSON-LD
(safe mode), the subject, the refresh service, and the recipient.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from mcbadge.errors import (
    McBadgeError,
    ModelValidationError,
)
from mcbadge.jsonld.urls import (
    OB3_CONTEXT_3_0_3_URL,
    VC_V1_CONTEXT_URL,
    VC_V2_CONTEXT_URL,
)
from mcbadge.verify.builder import _Builder
from mcbadge.verify.common import _LEGACY_OB3_CONTEXTS, _OB3_CONTEXTS, _VC_TYPE, _VP_TYPE, _as_list
from mcbadge.verify.options import _Options

# --------------------------------------------------------------------------- shared checks


def _check_context(b: _Builder, credential: Mapping[str, Any], *, is_ob3: bool) -> None:
    raw = credential.get("@context")
    contexts = _as_list(raw)
    if not contexts:
        b.failed("context", "context_missing", "the credential has no @context")
        return
    first = contexts[0]
    if first not in (VC_V2_CONTEXT_URL, VC_V1_CONTEXT_URL):
        where = "is missing" if VC_V2_CONTEXT_URL not in contexts else "is not first"
        code = "context_missing" if VC_V2_CONTEXT_URL not in contexts else "context_order"
        b.failed(
            "context",
            code,
            f"the first @context must be {VC_V2_CONTEXT_URL} (VC 2.0); it {where}",
            contexts=contexts,
        )
        return
    legacy = first == VC_V1_CONTEXT_URL
    if is_ob3:
        allowed = _OB3_CONTEXTS | (_LEGACY_OB3_CONTEXTS if legacy else frozenset())
        second = contexts[1] if len(contexts) > 1 else None
        if not (isinstance(second, str) and second in allowed):
            present = [c for c in contexts if isinstance(c, str) and c in allowed]
            b.failed(
                "context",
                "context_order" if present else "context_missing",
                "an Open Badges 3.0 credential needs an OB3 context "
                f"({OB3_CONTEXT_3_0_3_URL}) second in @context; "
                + (f"{present[0]} is at another place" if present else "there is none"),
                contexts=contexts,
            )
            return
    version = "VC 1.1 (legacy)" if legacy else "VC 2.0"
    suffix = f", then {contexts[1]}" if is_ob3 else ""
    b.passed("context", f"{version} context first{suffix}", contexts=contexts)


def _check_type(b: _Builder, credential: Mapping[str, Any], wanted: str) -> None:
    raw = credential.get("type")
    items = _as_list(raw)
    if not items or not all(isinstance(t, str) for t in items):
        b.failed(
            "type", "type_invalid", f"type must be a string or an array of strings, got {raw!r}"
        )
        return
    if wanted not in items:
        hint = ""
        if _VP_TYPE in items:
            hint = "; this is a presentation: use verify_presentation()"
        elif _VC_TYPE in items:
            hint = "; this is a credential: use verify()"
        b.failed("type", "type_mismatch", f"type must include {wanted}, got {items}{hint}")
        return
    b.passed("type", ", ".join(items))


def _check_structure(b: _Builder, credential: Mapping[str, Any], *, is_ob3: bool) -> None:
    """The VC Data Model rules no other check reports (status, refresh and dates have theirs;
    an OB3 subject is checked by ``subject.identifier``)."""
    from mcbadge.verify.vcdm import Rule, related_resources_unchecked, structure_problems

    rules: list[Rule] = [
        "terms_of_use",
        "evidence",
        "credential_schema",
        "related_resource",
        "validity_period",
    ]
    if not is_ob3:
        rules.insert(0, "subject")
    problems = structure_problems(credential, rules=rules)
    if problems:
        listed = "; ".join(p.message for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        b.failed(
            "structure",
            problems[0].code,
            f"{len(problems)} VC Data Model problem(s): {listed}{more}",
            problems=[p.to_dict() for p in problems],
        )
        return
    unchecked = related_resources_unchecked(credential)
    if unchecked:
        b.warn(
            "the digests of these related resources were not checked (not available offline): "
            + ", ".join(unchecked)
        )
    b.passed("structure", "the credential follows the VC Data Model structure rules")


def _check_strict(b: _Builder, document: Mapping[str, Any], opts: _Options) -> None:
    """Safe-mode check of what the document asserts (without ``proof``).

    The proof options are checked by the signature check itself (for RDF suites an undefined
    term there would go unsigned); an unknown proof type should fail as that, not as JSON-LD.
    """
    from mcbadge.jsonld.strict import strict_problems

    unsecured = {k: v for k, v in document.items() if k != "proof"}
    try:
        problems = strict_problems(unsecured, loader=opts.loader)
    except McBadgeError as exc:
        b.failed(
            "jsonld.strict", exc.code, f"the document cannot be processed as JSON-LD: {exc.message}"
        )
        return
    if problems:
        from mcbadge._internal.compactform import COMPACT_KINDS

        listed = "; ".join(f"{p.get('path')}: {p.get('message')}" for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        if all(p.get("kind") in COMPACT_KINDS for p in problems):
            # a member written where the checks do not read it, though the signature covers
            # it (issue 10, F1): the same code as NonCompactJsonLdError at signing
            b.failed(
                "jsonld.strict",
                "jsonld_not_compact",
                f"the document is not in the compact form of its own contexts, so checks "
                f"could miss what the signature covers: {len(problems)} problem(s): "
                f"{listed}{more}",
                problems=problems,
            )
            return
        b.failed(
            "jsonld.strict",
            "jsonld_not_strict",
            f"JSON-LD safe mode refuses {len(problems)} problem(s): {listed}{more}",
            problems=problems,
        )
        return
    b.passed("jsonld.strict", "every term is defined and every IRI is absolute (JSON-LD safe mode)")


def _check_subject(b: _Builder, credential: Mapping[str, Any], *, is_ob3: bool) -> None:
    if not is_ob3:
        b.skipped("subject.identifier", "not an OB3 credential", reason_code="not_ob3")
        return
    subjects = _as_list(credential.get("credentialSubject"))
    if not subjects:
        b.failed("subject.identifier", "subject_missing", "the credential has no credentialSubject")
        return
    for index, subject in enumerate(subjects):
        where = "credentialSubject" if len(subjects) == 1 else f"credentialSubject[{index}]"
        if not isinstance(subject, Mapping):
            b.failed("subject.identifier", "subject_missing", f"{where} is not an object")
            return
        has_id = isinstance(subject.get("id"), str) and bool(subject["id"])
        identifiers = _as_list(subject.get("identifier"))
        if not has_id and not identifiers:
            b.failed(
                "subject.identifier",
                "subject_identifier_missing",
                f"{where} has neither id nor identifier, so nobody can tell whom it is about "
                "(OB3 verification step 1)",
            )
            return
    b.passed("subject.identifier", "the subject has an id or an identifier")


def _check_refresh(b: _Builder, credential: Mapping[str, Any]) -> None:
    from mcbadge.verify.vcdm import structure_problems

    raw = credential.get("refreshService")
    if raw is None:
        b.passed("refresh_service", "no refreshService")
        return
    problems = structure_problems(credential, rules=["refresh_service"])
    if problems:
        b.failed(
            "refresh_service",
            "refresh_service_invalid",
            "; ".join(p.message for p in problems),
            problems=[p.to_dict() for p in problems],
        )
        return
    described: list[str] = []
    for entry in _as_list(raw):
        service_id = entry.get("id")
        if isinstance(service_id, str) and urlsplit(service_id).scheme.lower() == "http":
            b.failed(
                "refresh_service",
                "refresh_service_invalid",
                f"refreshService ({entry['type']}) names a plain-http service {service_id!r}; "
                "a refresh service must be called over https",
            )
            return
        described.append(f"{service_id or 'a service without id'} ({entry['type']})")
    b.skipped(
        "refresh_service",
        f"not followed: {', '.join(described)}; mcbadge reports refresh services but does not "
        "call them (a refreshed credential must be fetched and verified on its own)",
        reason_code="not_followed",
    )
    b.warn(f"the credential names a refresh service that was not followed: {', '.join(described)}")


def _identity_objects(subject: Mapping[str, Any]) -> Iterator[Any]:
    from mcbadge.model import IdentityObject

    for item in _as_list(subject.get("identifier")):
        if not isinstance(item, Mapping):
            continue
        try:
            yield IdentityObject.model_validate(dict(item))
        except ModelValidationError:
            continue


def _check_recipient(b: _Builder, credential: Mapping[str, Any], opts: _Options) -> None:
    wanted = opts.expected_recipient
    if wanted is None:
        b.skipped("recipient", "no expected recipient given", reason_code="not_requested")
        return
    identity_type, value = wanted if isinstance(wanted, tuple) else (None, wanted)
    for subject in _as_list(credential.get("credentialSubject")):
        if not isinstance(subject, Mapping):
            continue
        if identity_type is None and subject.get("id") == value:
            b.passed("recipient", "credentialSubject.id is the expected recipient")
            return
        for identity in _identity_objects(subject):
            if identity_type is not None and identity.identity_type != identity_type:
                continue
            if identity.matches(value):
                how = "hashed" if identity.is_hashed else "plain"
                b.passed(
                    "recipient",
                    f"a {how} {identity.identity_type} identifier matches the expected recipient",
                )
                return
    kind = f" of type {identity_type}" if identity_type else ""
    b.failed(
        "recipient",
        "recipient_mismatch",
        f"no credentialSubject id or identifier{kind} matches the expected recipient",
    )

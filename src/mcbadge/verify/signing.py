"""Signing-time checks: the checks of :func:`mcbadge.verify.verify` decidable before signing.

mcbadge signs only what it would verify. Every issuing path (:func:`mcbadge.issue`, the batch,
``mcbadge issue`` and ``mcbadge serve``) runs :func:`signing_checks` on the unsigned credential
and the key first, and refuses with the check id and error code ``verify()`` would report
later. The checks are the ones that do not depend on the moment of verification or on
anything the verifier alone knows:

========================  ===========================================================
check id                  decided at signing time
========================  ===========================================================
``format``                the credential is JSON data: an object, no lone surrogate
``jsonld.strict``         JSON-LD safe mode (Data Integrity only; ``issue()`` runs it in
                          the same walk as canonicalization)
``context``               VC v2 first; an OB3 context second for an OB3 credential
``type``                  ``type`` includes ``VerifiableCredential``
``schema.ob3``            the pinned OB3 JSON Schema (skipped when it is not cached)
``subject.identifier``    an OB3 subject has ``id`` or ``identifier``
``proof.issuer_binding``  the signing key is the issuer's, where that can be decided
                          offline (a ``did:key``/``did:jwk`` key must be the issuer or
                          its key; any other key URL must be the issuer's own DID URL or
                          a URL under its HTTPS id)
``refresh_service``       a ``refreshService`` is well formed (typed, https ``id``)
``status``                ``credentialStatus`` entries are objects
``valid_from``            ``validFrom`` / ``validUntil`` are dateTime stamps with a time
``valid_until``           zone (their distance to now is a verification-time question)
``proof.created``         the proof is not created in the future
``endorsement[i]``        each embedded endorsement verifies (its status is not checked)
========================  ===========================================================

Not decided at signing time: whether the credential has expired or is not yet valid (the
VC Data Model allows both at issuance), its status bits, the verifier's trusted-issuer list,
its expected recipient, and keys only a network lookup can resolve.

Example:
    >>> from mcbadge.keys import KeyPair
    >>> from mcbadge.verify.signing import signing_checks
    >>> key = KeyPair.generate("Ed25519")
    >>> report = signing_checks(credential, key)  # doctest: +SKIP
    >>> report.verified  # doctest: +SKIP
    True
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from mcbadge.errors import (
    InvalidInputError,
    McBadgeError,
    SigningRefusedError,
    StrictJsonLdError,
)
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.keys import PublicKey, Signer
from mcbadge.keys.pair import _is_signer
from mcbadge.report import CredentialFormat, VerificationReport

# the checks verify() runs, shared
from mcbadge.verify.binding import _bind_jwk, _bind_vm, _implied_controller, _url_under
from mcbadge.verify.builder import _Builder
from mcbadge.verify.common import (
    _OB3_TYPES,
    _VC_TYPE,
    _is_legacy_context,
    _issuer_id,
    _parse_time,
    _proofs_of,
    _stamp,
    _type_names,
)
from mcbadge.verify.options import DEFAULT_MAX_ENDORSEMENT_DEPTH, _options
from mcbadge.verify.proofs import _di_results
from mcbadge.verify.reading import _json_copy
from mcbadge.verify.schema import _check_schema
from mcbadge.verify.structure import (
    _check_context,
    _check_refresh,
    _check_strict,
    _check_structure,
    _check_subject,
    _check_type,
)

__all__ = ["SigningRefusedError", "refuse_unverifiable", "signing_checks"]

_LEEWAY = timedelta(minutes=5)


def _bad_string(value: Any, path: str) -> str | None:
    """The path of the first string (or member name) holding a lone surrogate."""
    try:  # one C-speed pass: JSON text keeps a lone surrogate, which UTF-8 cannot encode
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        pass  # there is one: the walk below finds where
    except (TypeError, ValueError, RecursionError):
        pass  # not JSON data: the walk decides about strings, _json_copy about the rest
    else:
        return None
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if _has_surrogate(item):
                return where
        elif isinstance(item, Mapping):
            for key, child in item.items():
                if isinstance(key, str) and _has_surrogate(key):
                    return f"{where}.{key.encode('utf-8', 'backslashreplace').decode()}"
                stack.append((child, f"{where}.{key}"))
        elif isinstance(item, list | tuple):
            stack.extend((child, f"{where}[{i}]") for i, child in enumerate(item))
    return None


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _public_key(key: Signer) -> PublicKey | None:
    public = getattr(key, "public_key", None)
    if isinstance(public, PublicKey):
        return public
    try:
        return PublicKey.from_jwk(key.public_jwk())
    except McBadgeError:
        return None


def signing_checks(
    credential: Mapping[str, Any],
    key: Signer,
    *,
    format: Literal["di", "jwt", "sd-jwt"] = "di",  # noqa: A002 - the name issue() uses
    verification_method: str | None = None,
    embed_jwk: bool = False,
    created: str | datetime | None = None,
    allow_foreign_key: bool = False,
    loader: DocumentLoader | None = None,
    strict: bool = True,
    clock: Any = None,
) -> VerificationReport:
    """Run the checks of ``verify()`` that can be decided before signing; report, never raise.

    Args:
        credential: The unsigned credential (a JSON object as a dict).
        key: The :class:`~mcbadge.keys.Signer` that will sign.
        format: ``"di"`` (Data Integrity), ``"jwt"`` (VC-JWT) or ``"sd-jwt"`` (SD-JWT VC,
            checked as a VC-JWT: the key named by ``kid`` must be the issuer's): the JSON-LD
            safe-mode check applies only to Data Integrity, as in ``verify()``.
        verification_method: The key URL the proof or JWT will name (default the key's).
        embed_jwk: The JWT will carry its key in a ``jwk`` header instead of a ``kid``.
        created: The proof's ``created`` time (must not be in the future).
        allow_foreign_key: Do not require the key to be the issuer's (W3C test vectors sign
            with a key that is not the issuer's); the issuer-binding check is then skipped
            with the reason, never silently passed.
        loader: JSON-LD document loader and pinned-document cache (default: offline bundled).
        strict: Run the JSON-LD safe-mode check (``issue()`` leaves it to the proof suite,
            which runs it in the same walk as canonicalization).
        clock: Returns "now" (timezone-aware); default the system clock.

    Returns:
        A :class:`~mcbadge.report.VerificationReport` of the signing-time checks;
        ``verified`` is ``True`` when none failed.

    Raises:
        InvalidInputError: the key is not a :class:`~mcbadge.keys.Signer` (``key_invalid``),
            or an option is malformed.

    Example:
        >>> report = signing_checks(credential, key, format="jwt")  # doctest: +SKIP
        >>> [(c.id, c.error_code) for c in report.failed_checks]  # doctest: +SKIP
        []
    """
    if not _is_signer(key):
        raise InvalidInputError(
            f"the key must be a mcbadge.keys.Signer (a KeyPair, HSM or KMS signer), not "
            f"{type(key).__name__}",
            code="key_invalid",
        )
    now = clock() if clock is not None else datetime.now(UTC)
    if not isinstance(now, datetime) or now.tzinfo is None:
        raise InvalidInputError(
            "clock() must return a timezone-aware datetime", code="invalid_option"
        )
    opts = _options(
        resolver=None,
        keys=None,
        trusted_issuers=None,
        status_checker=None,
        status_fetcher=None,
        skip_status=True,
        allow_network=False,
        clock=lambda: now,
        leeway=_LEEWAY,
        expected_recipient=None,
        loader=loader,
        max_endorsement_depth=DEFAULT_MAX_ENDORSEMENT_DEPTH,
    )
    b = _Builder()
    if not isinstance(credential, Mapping):
        b.failed("format", "input_not_object", "a credential must be a JSON object")
        return b.build(fmt="unknown", credential=None)
    try:
        document = _json_copy(credential)  # what is checked here is what issue() signs
    except McBadgeError as exc:
        where = _bad_string(credential, "credential")  # a lone surrogate: say where
        if where is None:
            b.failed("format", exc.code, exc.message)
        else:
            b.failed(
                "format",
                "string_lone_surrogate",
                f"{where} holds a lone surrogate (half of a UTF-16 pair), which is not a "
                "Unicode character: it cannot be written as UTF-8 JSON, so no verifier could "
                "read what is signed; remove it or pair it",
                path=where,
            )
        return b.build(fmt="unknown", credential=None)
    fmt: CredentialFormat = format if format in ("jwt", "sd-jwt") else "di"
    if "proof" in document and format != "di":
        kind = "an SD-JWT VC" if format == "sd-jwt" else "a VC-JWT"
        b.failed(
            "format",
            "credential_has_proof",
            f"the credential already has a proof; {kind} secures the unsigned credential",
        )
        return b.build(fmt=fmt, credential=document)
    b.passed("format", "JSON object")

    names = _type_names(document.get("type"))
    is_ob3 = any(name in _OB3_TYPES for name in names)
    legacy = _is_legacy_context(document)
    issuer_id = _issuer_id(document)
    unsecured = {k: val for k, val in document.items() if k != "proof"}

    if format == "di" and strict:
        b.guard("jsonld.strict", lambda: _check_strict(b, unsecured, opts))
    b.guard("context", lambda: _check_context(b, document, is_ob3=is_ob3))
    b.guard("type", lambda: _check_type(b, document, _VC_TYPE))
    b.guard("structure", lambda: _check_structure(b, document, is_ob3=is_ob3))
    b.guard("schema.ob3", lambda: _check_schema(b, document, names, opts, legacy=legacy))
    b.guard("subject.identifier", lambda: _check_subject(b, document, is_ob3=is_ob3))
    b.guard(
        "proof.issuer_binding",
        lambda: _binding_for(
            b,
            key,
            issuer_id,
            opts,
            verification_method=verification_method,
            format=format,
            embed_jwk=embed_jwk and format == "jwt",
            allow_foreign_key=allow_foreign_key,
        ),
    )
    if format == "di" and "proof" in document:
        b.guard("proof", lambda: _existing_proofs(b, document, opts))
    b.guard("refresh_service", lambda: _refresh(b, document))
    b.guard("status", lambda: _status_shape(b, document))
    b.guard("valid_from", lambda: _dates(b, document, legacy=legacy, is_ob3=is_ob3))
    if format == "di":
        b.guard("proof.created", lambda: _created(b, created, now))
    from mcbadge.verify.credential import _check_endorsements

    b.guard("endorsement", lambda: _check_endorsements(b, document, opts, 0))
    return b.build(fmt=fmt, credential=document)


def refuse_unverifiable(report: VerificationReport) -> None:
    """Raise the typed error for the first failed check of a :func:`signing_checks` report.

    A JSON-LD safe-mode failure raises :class:`~mcbadge.errors.StrictJsonLdError` (with its
    ``problems``), a malformed input :class:`~mcbadge.errors.InvalidInputError`; every other
    failure raises :class:`SigningRefusedError`. The error's ``code`` is the check's code.

    Args:
        report: The report of :func:`signing_checks`.

    Raises:
        StrictJsonLdError: the credential is not strict JSON-LD.
        InvalidInputError: the credential is not a JSON object or holds a bad string.
        SigningRefusedError: another check failed.

    Example:
        >>> refuse_unverifiable(signing_checks(credential, key))  # doctest: +SKIP
    """
    failed = report.failed_checks
    if not failed:
        return
    first = failed[0]
    code = first.error_code or "signing_refused"
    also = [f"{c.id} ({c.error_code})" for c in failed[1:]]
    tail = f" (also failing: {', '.join(also)})" if also else ""
    message = (
        f"refused to sign: verify() would refuse this credential: {first.id} ({code}): "
        f"{first.message}{tail}"
    )
    if first.id == "jsonld.strict" and code == "jsonld_not_strict":
        raise StrictJsonLdError(
            message, problems=list(first.details.get("problems") or []), check=first.id
        )
    if first.id == "format":
        raise InvalidInputError(message, code=code, check=first.id, **first.details)
    raise SigningRefusedError(
        message, code=code, check=first.id, report=report, failed=[c.id for c in failed]
    )


# --------------------------------------------------------------------------- the checks


def _binding_for(
    b: Any,
    key: Signer,
    issuer_id: str | None,
    opts: Any,
    *,
    verification_method: str | None,
    format: str,  # noqa: A002
    embed_jwk: bool,
    allow_foreign_key: bool,
) -> None:
    """The issuer-binding check. For an SD-JWT VC whose issuer has an HTTPS id, a key the
    offline check cannot bind may still be the issuer's: ``verify()`` with the network reads
    the issuer's JWT VC Issuer Metadata (SD-JWT VC §5), so that is decided when verifying."""

    def run(builder: Any) -> None:
        _binding(
            builder,
            key,
            issuer_id,
            opts,
            verification_method=verification_method,
            format=format,
            embed_jwk=embed_jwk,
            allow_foreign_key=allow_foreign_key,
        )

    if format != "sd-jwt" or not (issuer_id or "").startswith("https://"):
        run(b)
        return
    scratch = _Builder()
    run(scratch)
    refused = [c for c in scratch.checks if c.id == "proof.issuer_binding" and c.status == "failed"]
    if not refused:
        b.checks.extend(scratch.checks)
        return
    b.skipped(
        "proof.issuer_binding",
        f"not decided offline: {refused[0].message}; an SD-JWT VC issuer with an HTTPS id may "
        "publish the key in its JWT VC Issuer Metadata, which verify() reads with the network",
        reason_code="issuer_metadata",
    )


def _binding(
    b: Any,
    key: Signer,
    issuer_id: str | None,
    opts: Any,
    *,
    verification_method: str | None,
    format: str,  # noqa: A002
    embed_jwk: bool,
    allow_foreign_key: bool,
) -> None:
    if issuer_id is None:
        b.failed("proof.issuer_binding", "issuer_missing", "the credential names no issuer id")
        return
    if allow_foreign_key:
        b.skipped(
            "proof.issuer_binding",
            "not checked: the caller allowed a key that is not the issuer's "
            "(allow_foreign_key=True); verify() will refuse it unless the verifier trusts it",
            reason_code="allowed_by_caller",
        )
        return
    public = _public_key(key)
    if embed_jwk:
        if public is None:
            b.skipped(
                "proof.issuer_binding",
                "the signer's public key cannot be read",
                reason_code="key_unreadable",
            )
            return
        binding = _bind_jwk(public, issuer_id, opts)
        _record(b, binding, issuer_id)
        return
    vm = verification_method or key.verification_method or _did_key_vm(key)
    if not vm:
        b.skipped(
            "proof.issuer_binding", "the key names no verification method", reason_code="no_vm"
        )
        return
    if vm.startswith(("did:key:", "did:jwk:")):
        try:
            method = opts.resolver.resolve_verification_method(vm)
        except McBadgeError as exc:
            b.failed("proof.issuer_binding", "verification_method_unresolved", exc.message)
            return
        if public is not None and method.public_key != public:
            check_id, code, what = {
                "jwt": ("jwt.signature", "jwt_signature_invalid", "JWT"),
                "sd-jwt": ("sdjwt.signature", "sdjwt_signature_invalid", "SD-JWT"),
            }.get(format, ("proof[0].signature", "signature_invalid", "proof"))
            b.failed(
                check_id,
                code,
                f"the {what} would name {vm}, which is not the signing "
                "key: every verifier would find the signature invalid",
            )
            b.skipped("proof.issuer_binding", "no valid signature", reason_code="no_verified_proof")
            return
        _record(b, _bind_vm(vm, issuer_id, opts, "assertionMethod"), issuer_id)
        return
    controller = _implied_controller(vm)
    if controller == issuer_id or _url_under(vm, issuer_id):
        b.passed(
            "proof.issuer_binding",
            f"{vm} names the issuer {issuer_id} (its document is resolved when verifying)",
        )
        return
    b.failed(
        "proof.issuer_binding",
        "issuer_key_mismatch",
        f"{vm} belongs to {controller}, not to the issuer {issuer_id}",
    )


def _existing_proofs(b: Any, document: Mapping[str, Any], opts: Any) -> None:
    """A proof set grows: the proofs already there must verify, as verify() will demand."""
    try:
        proofs = _proofs_of(document)
    except InvalidInputError as exc:
        b.failed("proof", exc.code, f"the credential's existing proof: {exc.message}")
        return
    for index, result in enumerate(_di_results(document, proofs, opts)):
        check_id = f"proof[{index}].signature"
        if result.verified:
            b.passed(check_id, f"the existing proof by {result.verification_method} verifies")
        else:
            error = result.error
            b.failed(
                check_id,
                error.code if error is not None else "signature_invalid",
                "an existing proof of the credential does not verify"
                + (f": {error.message}" if error is not None else ""),
            )


def _record(b: Any, binding: Any, issuer_id: str) -> None:
    if binding.ok:
        b.passed(
            "proof.issuer_binding", f"the issuer {issuer_id} controls the key: {binding.message}"
        )
        return
    message = binding.message
    if binding.code == "issuer_key_mismatch":
        message += (
            "; set the credential's issuer to the key's DID (Microcredential.to_credential("
            "issuer_id=key.did_key)) or sign with a key the issuer publishes (did:web, or an "
            "https key URL under the issuer's id)"
        )
    b.failed("proof.issuer_binding", binding.code or "issuer_key_mismatch", message)


def _did_key_vm(key: Signer) -> str | None:
    try:
        vm = getattr(key, "did_key_verification_method", None)
    except McBadgeError:
        return None
    return vm if isinstance(vm, str) else None


def _refresh(b: Any, document: Mapping[str, Any]) -> None:
    scratch = _Builder()
    _check_refresh(scratch, document)
    for check in scratch.checks:
        if check.status == "failed":
            b.failed(check.id, check.error_code or "refresh_service_invalid", check.message)
        else:
            b.passed(
                check.id,
                "refreshService is well formed"
                if "refreshService" in document
                else "no refreshService",
            )


def _status_shape(b: Any, document: Mapping[str, Any]) -> None:
    raw = document.get("credentialStatus")
    if raw is None:
        b.passed("status", "no credentialStatus")
        return
    from mcbadge.verify.vcdm import structure_problems

    problems = structure_problems(document, rules=["status"])
    if problems:
        b.failed("status", "status_malformed", "; ".join(p.message for p in problems))
        return
    b.skipped(
        "status",
        "the status bits are read when verifying",
        reason_code="verification_time",
    )


def _dates(b: Any, document: Mapping[str, Any], *, legacy: bool, is_ob3: bool) -> None:
    for check_id, names in (
        ("valid_from", ("validFrom", "issuanceDate")),
        ("valid_until", ("validUntil", "expirationDate")),
    ):
        present = [name for name in names if name in document]
        if not present:
            if check_id == "valid_from" and (legacy or is_ob3):
                needs = (
                    "a VC 1.1 credential needs issuanceDate"
                    if legacy
                    else ("an OB3 credential needs validFrom")
                )
                b.failed(check_id, "valid_from_missing", needs)
            else:
                b.passed(check_id, f"no {names[0]}")
            continue
        try:
            for name in present:
                _parse_time(document[name], name)
        except McBadgeError as exc:
            b.failed(check_id, exc.code, exc.message)
            continue
        b.passed(check_id, f"{', '.join(present)} well formed")


def _created(b: Any, created: str | datetime | None, now: datetime) -> None:
    if created is None:
        b.passed("proof.created", "created now")
        return
    if isinstance(created, datetime):
        moment = created if created.tzinfo is not None else created.replace(tzinfo=UTC)
        text = moment.isoformat()
    else:
        moment = _parse_time(created, "created")
        text = created
    if moment > now + _LEEWAY:
        b.failed(
            "proof.created",
            "proof_created_in_future",
            f"created {text} is in the future (now {_stamp(now)})",
        )
        return
    b.passed("proof.created", f"created {text}")

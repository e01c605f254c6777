"""One credential, end to end: :func:`verify` and :func:`verification_report` run the check
families in the OB3 order, then each embedded endorsement the same way (to a bounded depth).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import datetime, timedelta
from typing import Any, Literal

from mcbadge.did import Resolver
from mcbadge.errors import (
    InvalidInputError,
    McBadgeError,
    VerificationError,
)
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.net import NetworkPolicy
from mcbadge.report import (
    CredentialFormat,
    VerificationReport,
    VerifiedCredential,
)
from mcbadge.verify.binding import _check_trusted
from mcbadge.verify.builder import _Builder, _unreadable
from mcbadge.verify.common import (
    _ENDORSEMENT_TYPE,
    _LEGACY_PROOF_TYPE,
    _OB3_TYPES,
    _VC_TYPE,
    _as_list,
    _is_legacy_context,
    _issuer_id,
    _proofs_of,
    _type_names,
)
from mcbadge.verify.dates import _check_dates, _check_proof_times
from mcbadge.verify.options import (
    DEFAULT_LEEWAY,
    DEFAULT_MAX_ENDORSEMENT_DEPTH,
    ExpectedRecipient,
    KeyEntry,
    StatusCheckerLike,
    StatusFetcher,
    _Options,
    _options,
)
from mcbadge.verify.proofs import _check_di_proofs, _jwt_claims, _jwt_signature
from mcbadge.verify.reading import _read_input
from mcbadge.verify.schema import _check_schema
from mcbadge.verify.status import _check_status
from mcbadge.verify.structure import (
    _check_context,
    _check_recipient,
    _check_refresh,
    _check_strict,
    _check_structure,
    _check_subject,
    _check_type,
)


def _endorsements(credential: Mapping[str, Any]) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []

    def collect(holder: Any, prefix: str) -> None:
        if not isinstance(holder, Mapping):
            return
        for key in ("endorsement", "endorsementJwt"):
            for index, item in enumerate(_as_list(holder.get(key))):
                found.append((f"{prefix}{key}[{index}]", item))

    collect(credential, "")
    collect(credential.get("issuer"), "issuer.")
    subjects = _as_list(credential.get("credentialSubject"))
    for index, subject in enumerate(subjects):
        where = "credentialSubject" if len(subjects) == 1 else f"credentialSubject[{index}]"
        if isinstance(subject, Mapping):
            collect(subject.get("achievement"), f"{where}.achievement.")
    return found


def _check_endorsements(
    b: _Builder, credential: Mapping[str, Any], opts: _Options, depth: int
) -> None:
    for index, (path, item) in enumerate(_endorsements(credential)):
        check_id = f"endorsement[{index}]"
        if depth >= opts.max_depth:
            b.skipped(
                check_id,
                f"{path} not verified: the endorsement depth limit ({opts.max_depth}) is reached",
                reason_code="depth_limit",
                path=path,
            )
            b.warn(f"{path} was not verified (endorsement depth limit)")
            continue
        if isinstance(item, str):
            kind: Literal["json", "jwt"] = "jwt"
        elif isinstance(item, Mapping):
            kind = "json"
        else:
            b.failed(
                check_id,
                "endorsement_malformed",
                f"{path} is neither an object nor a JWT",
                path=path,
            )
            continue

        def run(
            kind: Literal["json", "jwt"] = kind,
            item: Any = item,
            path: str = path,
            check_id: str = check_id,
        ) -> None:
            nested = _verify_credential(kind, item, opts.for_endorsements(), depth + 1)
            names = _type_names((nested.credential or {}).get("type"))
            by = nested.issuer_id or "an unknown issuer"
            if nested.credential is not None and _ENDORSEMENT_TYPE not in names:
                b.add(
                    check_id,
                    "failed",
                    f"{path} is not an EndorsementCredential (type {names})",
                    code="endorsement_type",
                    report=nested,
                    path=path,
                )
            elif nested.verified:
                b.add(check_id, "passed", f"{path} by {by} verifies", report=nested, path=path)
            else:
                failing = ", ".join(f"{c.id} ({c.error_code})" for c in nested.failed_checks)
                b.add(
                    check_id,
                    "failed",
                    f"{path} by {by} does not verify: {failing}",
                    code="endorsement_invalid",
                    report=nested,
                    path=path,
                )

        b.guard(check_id, run)


def _verify_credential(
    kind: Literal["json", "jwt"], value: Any, opts: _Options, depth: int
) -> VerificationReport:
    b = _Builder()
    token: str | None = None
    parsed: Any = None
    if kind == "jwt":
        from mcbadge.proofs.jwt import parse_credential_jwt

        token = str(value)
        try:
            parsed = parse_credential_jwt(token)
        except McBadgeError as exc:
            return _unreadable(b, exc.code, f"not a readable VC-JWT: {exc.message}")
        credential: dict[str, Any] = parsed.credential
        legacy = parsed.legacy or _is_legacy_context(credential)
        fmt: CredentialFormat = "jwt-legacy" if legacy else "jwt"
        form = "legacy vc-claim " if parsed.legacy else ""
        b.passed("format", f"{form}VC-JWT (compact JWS, alg {parsed.algorithm})")
    else:
        if not isinstance(value, Mapping):
            return _unreadable(b, "input_not_object", "a credential must be a JSON object")
        credential = dict(value)
        try:
            proof_types = [p.get("type") for p in _proofs_of(credential)]
        except InvalidInputError:
            proof_types = []
        legacy = _is_legacy_context(credential) or _LEGACY_PROOF_TYPE in proof_types
        fmt = "di-legacy" if legacy else "di"
        count = len(proof_types)
        b.passed("format", f"JSON document with Data Integrity proof(s) ({count} proof(s))")

    names = _type_names(credential.get("type"))
    is_ob3 = any(name in _OB3_TYPES for name in names)
    issuer_id = _issuer_id(credential)

    if kind == "json":
        b.guard("jsonld.strict", lambda: _check_strict(b, credential, opts))
    else:
        b.skipped(
            "jsonld.strict",
            "a VC-JWT payload is not processed as JSON-LD (its @context is still checked)",
            reason_code="jwt",
        )
    b.guard("context", lambda: _check_context(b, credential, is_ob3=is_ob3))
    b.guard("type", lambda: _check_type(b, credential, _VC_TYPE))
    b.guard("structure", lambda: _check_structure(b, credential, is_ob3=is_ob3))
    b.guard("schema.ob3", lambda: _check_schema(b, credential, names, opts, legacy=legacy))
    b.guard("subject.identifier", lambda: _check_subject(b, credential, is_ob3=is_ob3))

    proofs: list[Mapping[str, Any]] = []
    if kind == "json":

        def di() -> None:
            proofs.extend(
                _check_di_proofs(
                    b,
                    credential,
                    opts,
                    owner_id=issuer_id,
                    owner="issuer",
                    relationship="assertionMethod",
                )
            )

        b.guard("proof", di)
    else:
        jws = str(token)
        b.guard("jwt.signature", lambda: _jwt_signature(b, jws, parsed, credential, opts))
        b.skipped("proof.purpose", "a VC-JWT has no proof purpose", reason_code="jwt")
        b.guard("jwt.claims", lambda: _jwt_claims(b, parsed.payload, opts))

    b.guard("refresh_service", lambda: _check_refresh(b, credential))
    b.guard("status", lambda: _check_status(b, credential, opts))
    _check_dates(
        b,
        credential,
        opts,
        legacy=legacy,
        is_ob3=is_ob3,
        jwt_payload=parsed.payload if kind == "jwt" else None,
    )
    if kind == "json" and proofs:
        b.guard("proof.created", lambda: _check_proof_times(b, proofs, opts))
    elif kind == "json":
        b.skipped("proof.created", "no proof", reason_code="no_proof")
    b.guard("recipient", lambda: _check_recipient(b, credential, opts))
    b.guard("endorsement", lambda: _check_endorsements(b, credential, opts, depth))
    b.guard("trusted_issuer", lambda: _check_trusted(b, issuer_id, opts))
    if legacy:
        if fmt == "di-legacy":
            what = "a VC 1.1 credential" if _is_legacy_context(credential) else "a credential"
            if any(p.get("type") == _LEGACY_PROOF_TYPE for p in proofs):
                what += " with an Ed25519Signature2020 proof"
            elif any(p.get("cryptosuite") == "eddsa-2022" for p in proofs):
                what += " with an eddsa-2022 proof (the pre-2023 name of eddsa-rdfc-2022)"
        elif parsed is not None and parsed.legacy:
            what = "a VC-JWT in the VC 1.1 form (credential in the vc claim)"
        else:
            what = "a VC-JWT of a VC 1.1 credential"
        message = (
            f"legacy format: {what}; accepted for verification (mcbadge's builder never makes one)"
        )
        b.passed("legacy", message)
        b.warn(message)
    return b.build(fmt=fmt, credential=credential)


def _report_for(value: Any, opts: _Options) -> VerificationReport:
    kind, data = _read_input(value)
    if kind == "sd-jwt":
        from mcbadge.verify.sdjwt import sd_jwt_report

        return sd_jwt_report(str(data), opts)
    report = _verify_credential(kind, data, opts, 0)
    if opts.audience is not None:
        # a verifier that asks for key binding must not accept a credential without one
        b = _Builder()
        b.checks.extend(report.checks)
        b.warnings.extend(report.warnings)
        b.failed(
            "sdjwt.key_binding",
            "sdjwt_kb_missing",
            "audience= and nonce= require an SD-JWT VC presentation with a key-binding JWT; "
            "this credential is not an SD-JWT VC",
        )
        return b.build(fmt=report.format, credential=report.credential)
    return report


def _failure(report: VerificationReport, what: str) -> VerificationError:
    failing = ", ".join(f"{c.id} ({c.error_code})" for c in report.failed_checks)
    return VerificationError(
        f"the {what} did not verify: {failing}",
        report=report,
        failed=[c.id for c in report.failed_checks],
    )


def verification_report(
    credential_or_jwt: Any,
    *,
    resolver: Resolver | None = None,
    keys: Mapping[str, KeyEntry] | None = None,
    trusted_issuers: Collection[str] | None = None,
    status_checker: StatusCheckerLike | None = None,
    status_fetcher: StatusFetcher | None = None,
    skip_status: bool = False,
    allow_network: bool = False,
    clock: Callable[[], datetime] | None = None,
    leeway: timedelta = DEFAULT_LEEWAY,
    expected_recipient: ExpectedRecipient | None = None,
    loader: DocumentLoader | None = None,
    max_endorsement_depth: int = DEFAULT_MAX_ENDORSEMENT_DEPTH,
    audience: str | None = None,
    nonce: str | None = None,
    network: NetworkPolicy | None = None,
) -> VerificationReport:
    """Run every verification check and return the report, without raising for failures.

    Takes the same arguments as :func:`verify`; use it to show a report (``print(report)``
    draws a table). ``report.verified`` is ``True`` only when no check failed.

    Returns:
        The :class:`~mcbadge.report.VerificationReport`.

    Raises:
        InvalidInputError: the input is not a credential at all (not a JSON object, not a
            compact JWS, not a baked image), or an option is invalid (code
            ``invalid_option``).

    Example:
        >>> report = verification_report(signed)  # doctest: +SKIP
        >>> [c.id for c in report.failed_checks]  # doctest: +SKIP
        []
    """
    opts = _options(
        resolver=resolver,
        keys=keys,
        trusted_issuers=trusted_issuers,
        status_checker=status_checker,
        status_fetcher=status_fetcher,
        skip_status=skip_status,
        allow_network=allow_network,
        clock=clock,
        leeway=leeway,
        expected_recipient=expected_recipient,
        loader=loader,
        max_endorsement_depth=max_endorsement_depth,
        audience=audience,
        nonce=nonce,
        network=network,
    )
    return _report_for(credential_or_jwt, opts)


def verify(
    credential_or_jwt: Any,
    *,
    resolver: Resolver | None = None,
    keys: Mapping[str, KeyEntry] | None = None,
    trusted_issuers: Collection[str] | None = None,
    status_checker: StatusCheckerLike | None = None,
    status_fetcher: StatusFetcher | None = None,
    skip_status: bool = False,
    allow_network: bool = False,
    clock: Callable[[], datetime] | None = None,
    leeway: timedelta = DEFAULT_LEEWAY,
    expected_recipient: ExpectedRecipient | None = None,
    loader: DocumentLoader | None = None,
    max_endorsement_depth: int = DEFAULT_MAX_ENDORSEMENT_DEPTH,
    audience: str | None = None,
    nonce: str | None = None,
    network: NetworkPolicy | None = None,
) -> VerifiedCredential:
    """Verify a credential: Data Integrity JSON, a VC-JWT, an SD-JWT VC, or a baked PNG/SVG.

    Every check of the OB3 verification algorithm runs (see the module docstring for the
    list); the credential verifies only when none failed. Verification is offline unless
    ``allow_network=True``.

    Args:
        credential_or_jwt: A credential as a dict (or mcbadge model), JSON text or bytes, a
            compact JWS (VC-JWT), or the bytes of a baked PNG/SVG (or SVG text).
        resolver: Resolves verification methods (default: offline did:key/did:jwk; with
            ``allow_network`` also did:web and HTTPS key URLs).
        keys: Keys the caller trusts, by verification method URL (``proof.verificationMethod``
            or JWT ``kid``); for a JWT with neither ``kid`` nor ``jwk``, by issuer id. A bare
            :class:`~mcbadge.keys.PublicKey` is controlled by the DID / URL it is listed
            under; a :class:`~mcbadge.did.VerificationMethod` names its controller.
        trusted_issuers: When given, the issuer id must be one of these.
        status_checker: Checks ``credentialStatus`` entries (an object with
            ``check(entry)``); by default a :class:`mcbadge.status.StatusChecker` built
            with ``status_fetcher`` and ``allow_network``.
        status_fetcher: ``fetcher(url) -> document`` used by the default status checker.
        skip_status: Do not check status; the ``status`` check is then ``skipped`` ("skipped
            by caller"). Without it, a status that cannot be checked fails verification.
        allow_network: Allow HTTPS fetches (keys, did:web, pinned schemas, status lists).
        clock: Returns "now" (timezone-aware); default the system clock.
        leeway: Clock skew allowed for ``validFrom`` / ``validUntil`` / ``created``.
        expected_recipient: When given, the subject must be this recipient: a value
            matched against ``credentialSubject.id`` and every ``identifier`` (hashed ones
            too), or ``(identityType, value)`` to match only identifiers of that type.
        loader: JSON-LD document loader (default: bundled contexts and cached pins).
        max_endorsement_depth: How deep embedded endorsements are verified.
        audience: For an SD-JWT VC presentation: require a key-binding JWT for this
            audience (with ``nonce``); any other credential then fails (``sdjwt_kb_missing``).
        nonce: The verifier's nonce the key-binding JWT must carry (with ``audience``).
        network: With ``allow_network=True``: the :class:`mcbadge.net.NetworkPolicy` (one
            deadline per fetch, redirects, the non-public addresses that may be reached, TLS)
            of every fetch ``verify()`` makes itself: keys and did:web, status lists (Bitstring
            and Token Status List), JSON-LD contexts and pinned documents, an SD-JWT issuer's
            JWT VC Issuer Metadata. Objects the caller passes (``resolver``,
            ``status_checker``, ``loader``) keep their own policy. Default: public addresses
            only, 10 s per fetch.

    Returns:
        The :class:`~mcbadge.report.VerifiedCredential` (credential, report, format, issuer;
        for an SD-JWT VC also ``disclosed``, the disclosed claims).

    Raises:
        VerificationError: a check failed; ``exc.report`` is the full report and
            ``exc.details["failed"]`` lists the failing check ids.
        InvalidInputError: the input is not a credential at all, or an option is invalid.

    Example:
        >>> from mcbadge import issue
        >>> from mcbadge.keys import KeyPair
        >>> key = KeyPair.generate("Ed25519")
        >>> result = verify(issue(credential, key))  # doctest: +SKIP
        >>> result.report.verified  # doctest: +SKIP
        True
    """
    report = verification_report(
        credential_or_jwt,
        resolver=resolver,
        keys=keys,
        trusted_issuers=trusted_issuers,
        status_checker=status_checker,
        status_fetcher=status_fetcher,
        skip_status=skip_status,
        allow_network=allow_network,
        clock=clock,
        leeway=leeway,
        expected_recipient=expected_recipient,
        loader=loader,
        max_endorsement_depth=max_endorsement_depth,
        audience=audience,
        nonce=nonce,
        network=network,
    )
    if not report.verified:
        raise _failure(report, "credential")
    return VerifiedCredential(
        credential=report.credential or {},
        report=report,
        format=report.format,
        issuer_id=report.issuer_id,
        disclosed=report.disclosed,
    )

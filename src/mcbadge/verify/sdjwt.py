"""The SD-JWT VC check family of :func:`mcbadge.verify.verify`.

An SD-JWT VC (``<JWT>~<Disclosures>~[<KB-JWT>]``) is verified in this order:

========================  ===========================================================
check id                  what it checks
========================  ===========================================================
``format``                a readable SD-JWT VC (``typ`` ``dc+sd-jwt``/``vc+sd-jwt``,
                          allowed ``alg``, supported ``_sd_alg``)
``sdjwt.signature``       the issuer-signed JWT verifies (key: the caller's ``keys=`` for
                          ``kid`` or ``iss``; with the network, an HTTPS issuer's JWT VC
                          Issuer Metadata; else ``kid`` resolved: did:key, did:jwk, did:web)
``proof.issuer_binding``  the key belongs to ``iss``
``sdjwt.disclosures``     every Disclosure is well formed, referenced once, in its place
                          (RFC 9901 §7.1); the disclosed claims are listed
``sdjwt.vct``             the ``vct`` claim is present
``sdjwt.key_binding``     with ``audience=``/``nonce=``: the KB-JWT (``kb+jwt``, signed by
                          the ``cnf`` key, ``aud``, ``nonce``, fresh ``iat``, ``sd_hash``)
``status``                ``status.status_list`` (IETF Token Status List) and any OB3
                          ``credentialStatus``, fail-closed
``valid_from``            ``nbf`` is not in the future
``valid_until``           ``exp`` is not in the past
``recipient``             the disclosed ``sub`` / identifiers match (when asked)
``trusted_issuer``        ``iss`` is trusted (when a list is given)
========================  ===========================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from mcbadge.errors import McBadgeError, VerificationError
from mcbadge.keys import PublicKey

if TYPE_CHECKING:
    from mcbadge.report import VerificationReport
    from mcbadge.verify.builder import _Builder
    from mcbadge.verify.options import _Options

__all__ = ["sd_jwt_report"]


def _time(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return datetime.fromtimestamp(max(min(float(value), 253402300799.0), 0.0), UTC)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


_METADATA: Final = "the issuer's JWT VC Issuer Metadata"


def _metadata_key(iss: str, kid: str | None, opts: _Options) -> PublicKey:
    """The key of ``iss`` from its JWT VC Issuer Metadata (SD-JWT VC §5), over HTTPS."""
    split = urlsplit(iss)
    url = f"https://{split.netloc}/.well-known/jwt-vc-issuer{split.path.rstrip('/')}"
    what = "JWT VC Issuer Metadata"
    document = opts.resolver._fetch_json(url, what=what)
    if not isinstance(document, Mapping) or document.get("issuer") != iss:
        raise VerificationError(
            f"the {what} at {url} is not for the issuer {iss}", code="issuer_metadata_invalid"
        )
    jwks = document.get("jwks")
    if jwks is None and isinstance(document.get("jwks_uri"), str):
        jwks = opts.resolver._fetch_json(document["jwks_uri"], what="the issuer's JWKS")
    keys = jwks.get("keys") if isinstance(jwks, Mapping) else None
    if not isinstance(keys, list):
        raise VerificationError(f"the {what} at {url} has no jwks", code="issuer_metadata_invalid")
    matches = [k for k in keys if isinstance(k, Mapping) and (kid is None or k.get("kid") == kid)]
    if len(matches) != 1:
        raise VerificationError(
            f"the {what} at {url} has {len(matches)} keys for kid {kid!r}; exactly one is needed",
            code="issuer_metadata_invalid",
        )
    return PublicKey.from_jwk({k: v for k, v in matches[0].items() if k not in ("kid", "use")})


def _issuer_key(
    b: _Builder, header: Mapping[str, Any], iss: str | None, opts: _Options
) -> tuple[PublicKey | None, str | None, str]:
    """The key to check the SD-JWT with: ``(key, kid to bind, how it was found)``.

    The kid is ``None`` when the key is bound to ``iss`` already (given for ``iss`` by the
    caller, or published in the issuer's JWT VC Issuer Metadata).
    """
    from mcbadge.verify.options import _entry_key

    kid = header.get("kid") if isinstance(header.get("kid"), str) and header.get("kid") else None
    if kid is not None and kid in opts.keys:
        return _entry_key(opts.keys[kid]), kid, f"the caller's key for {kid}"
    if iss is not None and iss in opts.keys:
        return _entry_key(opts.keys[iss]), None, f"the caller's key for the issuer {iss}"
    metadata_error: McBadgeError | None = None
    https_iss = iss is not None and urlsplit(iss).scheme == "https"
    if https_iss and opts.allow_network:
        try:
            return _metadata_key(str(iss), kid, opts), None, f"{_METADATA} ({kid or 'its key'})"
        except McBadgeError as exc:
            metadata_error = exc
    if kid is not None:
        try:
            return opts.resolver.resolve_verification_method(kid).public_key, kid, f"{kid}"
        except McBadgeError as exc:
            extra = f"; {_METADATA}: {metadata_error.message}" if metadata_error else ""
            b.failed(
                "sdjwt.signature",
                "jwt_key_unresolved",
                f"cannot resolve the SD-JWT key {kid}: {exc.message}{extra}; pass "
                "keys={kid: key}, or allow_network=True for did:web and an HTTPS issuer's "
                "JWT VC Issuer Metadata",
            )
            return None, kid, ""
    b.failed(
        "sdjwt.signature",
        metadata_error.code if metadata_error else "jwt_no_key_reference",
        (f"{_METADATA}: {metadata_error.message}" if metadata_error else "")
        or "the SD-JWT names no key (no kid) and no key was given for its issuer: pass "
        "keys={iss: PublicKey} (or allow_network=True for an HTTPS issuer's metadata)",
    )
    return None, None, ""


def _check_status(
    b: _Builder, claims: Mapping[str, Any], view: Mapping[str, Any], key: PublicKey, opts: _Options
) -> None:
    from mcbadge.verify.status import _check_status as check_credential_status

    status = claims.get("status")
    if status is None:
        check_credential_status(b, view, opts)
        return
    if opts.skip_status:
        b.skipped("status", "skipped by caller", reason_code="skipped_by_caller")
        b.warn("the credential's status (revocation/suspension) was not checked: skipped by caller")
        return
    from mcbadge.status.token_list import TokenStatusChecker

    fetcher = getattr(opts, "status_fetcher", None)
    checker = opts.token_status_checker or TokenStatusChecker(
        fetcher=fetcher,
        allow_network=opts.allow_network,
        network=opts.network,
        resolver=opts.resolver,
        clock=lambda: opts.now,
        leeway=opts.leeway,
    )
    try:
        iss = claims.get("iss")
        result = checker.check(
            status, issuer_key=key, expected_issuer=iss if isinstance(iss, str) else None
        )
    except McBadgeError as exc:
        b.failed(
            "status",
            exc.code,
            f"the Token Status List cannot be checked: {exc.message}; a credential whose "
            "status cannot be checked is refused (skip_status=True to accept it unchecked)",
        )
        return
    if result.revoked:
        b.failed("status", "revoked", "the issuer has revoked the credential (status INVALID)")
    elif result.suspended:
        b.failed("status", "suspended", "the issuer has suspended the credential")
    elif result.is_set:
        b.passed("status", f"status {result.label} (application-specific)")
        b.warn(f"the credential's token status is {result.label}")
    else:
        b.passed("status", f"Token Status List {result.uri} entry {result.idx}: VALID")
    if "credentialStatus" in view:
        b.warn("the OB3 credentialStatus inside the SD-JWT VC was not checked (status is used)")


def sd_jwt_report(text: str, opts: _Options) -> VerificationReport:
    """Verify an SD-JWT VC (or a presentation of one) and build its report.

    Args:
        text: The SD-JWT VC.
        opts: The options of :func:`mcbadge.verify.verify`.

    Returns:
        The report (``format="sd-jwt"``, ``disclosed`` set when the Disclosures were read).
    """
    from mcbadge.proofs.sdjwt import parse_sd_jwt, process_disclosures
    from mcbadge.proofs.sdjwt_kb import check_key_binding
    from mcbadge.proofs.sdjwt_vc import NEVER_DISCLOSABLE, credential_view
    from mcbadge.verify.binding import _bind_vm, _check_trusted
    from mcbadge.verify.builder import _Builder, _unreadable
    from mcbadge.verify.structure import _check_recipient

    b = _Builder()
    try:
        parsed = parse_sd_jwt(text)
    except McBadgeError as exc:
        return _unreadable(b, exc.code, f"not a readable SD-JWT VC: {exc.message}")
    kb = "with a key-binding JWT" if parsed.kb_jwt else "without key binding"
    b.passed(
        "format",
        f"SD-JWT VC ({parsed.header.get('typ')}, alg {parsed.jws.algorithm}, "
        f"{len(parsed.disclosures)} Disclosure(s), {kb})",
    )
    if parsed.header.get("typ") == "vc+sd-jwt":
        b.warn("the SD-JWT VC uses the pre-2025 typ vc+sd-jwt (now dc+sd-jwt)")
    for check_id, why in (
        ("jsonld.strict", "an SD-JWT VC is plain JSON, not JSON-LD"),
        ("context", "an SD-JWT VC has no @context"),
        ("schema.ob3", "the OB3 JSON Schema applies to the OB3 JSON form, not to SD-JWT VC"),
        ("proof.purpose", "an SD-JWT VC has no proof purpose"),
    ):
        b.skipped(check_id, why, reason_code="sd_jwt")
    raw = parsed.payload
    iss = raw.get("iss") if isinstance(raw.get("iss"), str) else None
    key, kid, used = _issuer_key(b, parsed.header, iss, opts)
    verified = False
    if key is not None:
        from mcbadge._internal.jws import verify_signature

        try:
            verify_signature(parsed.jws, key, what="SD-JWT", code="sdjwt_signature_invalid")
            verified = True
            b.passed("sdjwt.signature", f"{parsed.jws.algorithm} signature verifies with {used}")
        except McBadgeError as exc:
            b.failed("sdjwt.signature", exc.code, exc.message)
    if not verified:
        b.skipped(
            "proof.issuer_binding", "no verified signature to bind", reason_code="no_verified_proof"
        )
    elif iss is None:
        b.failed("proof.issuer_binding", "issuer_missing", "the SD-JWT VC has no iss claim")
    elif kid is not None:
        binding = _bind_vm(kid, iss, opts, "assertionMethod")
        if binding.ok:
            b.passed(
                "proof.issuer_binding", f"the issuer {iss} controls the key: {binding.message}"
            )
        else:
            b.failed("proof.issuer_binding", binding.code or "issuer_key_mismatch", binding.message)
    else:
        b.passed("proof.issuer_binding", f"the key is bound to the issuer {iss}: {used}")

    claims: dict[str, Any] = dict(raw)
    try:
        processed = process_disclosures(parsed)
        claims = processed.claims
        paths = processed.disclosed_paths
        disclosed: tuple[str, ...] | None = paths
        hidden_rules = [
            str(d.path[0])
            for d in processed.disclosed
            if len(d.path) == 1 and d.path[0] in NEVER_DISCLOSABLE
        ]
        if hidden_rules:
            # a holder could leave these out (e.g. drop `status` to hide a revocation)
            b.failed(
                "sdjwt.disclosures",
                "sdjwt_claim_not_disclosable",
                f"{', '.join(hidden_rules)} must not be selectively disclosable in an SD-JWT VC "
                "(draft-ietf-oauth-sd-jwt-vc §3.2.2.2)",
            )
        else:
            shown = ", ".join(paths) if paths else "none"
            b.passed(
                "sdjwt.disclosures",
                f"{len(paths)} Disclosure(s) verified; disclosed: {shown}",
                disclosed=list(paths),
            )
    except McBadgeError as exc:
        disclosed = None
        b.failed("sdjwt.disclosures", exc.code, exc.message)
    vct = claims.get("vct")
    if isinstance(vct, str) and vct:
        b.passed("sdjwt.vct", f"vct {vct}")
    else:
        b.failed("sdjwt.vct", "sdjwt_vct_missing", "an SD-JWT VC must have a vct claim (a string)")

    if opts.audience is not None and opts.nonce is not None:
        try:
            binding_result = check_key_binding(
                parsed,
                claims,
                audience=opts.audience,
                nonce=opts.nonce,
                now=opts.now,
                leeway=opts.leeway,
            )
            b.passed(
                "sdjwt.key_binding",
                f"the holder key in cnf signed the presentation for {binding_result.audience} "
                f"at {_stamp(binding_result.issued_at)}",
            )
        except McBadgeError as exc:
            b.failed("sdjwt.key_binding", exc.code, exc.message)
    elif parsed.kb_jwt is not None:
        b.skipped(
            "sdjwt.key_binding",
            "the presentation has a KB-JWT, but no audience=/nonce= were given to check it",
            reason_code="not_requested",
        )
        b.warn("the key-binding JWT was not checked: pass audience= and nonce=")
    else:
        b.skipped("sdjwt.key_binding", "no key binding required", reason_code="not_requested")

    view = credential_view(claims)
    if key is not None and verified:
        status_key: PublicKey = key
        b.guard("status", lambda: _check_status(b, claims, view, status_key, opts))
    else:
        b.skipped("status", "no verified signature", reason_code="no_verified_proof")

    def dates() -> None:
        now, leeway = opts.now, opts.leeway
        nbf, exp = _time(claims.get("nbf")), _time(claims.get("exp"))
        if "nbf" in claims and nbf is None:
            b.failed("valid_from", "jwt_claim_invalid", "nbf must be a NumericDate")
        elif nbf is not None and nbf > now + leeway:
            b.failed("valid_from", "not_yet_valid", f"nbf {_stamp(nbf)} is in the future")
        else:
            b.passed("valid_from", "nbf has passed" if nbf else "no nbf: valid from issuance")
        if "exp" in claims and exp is None:
            b.failed("valid_until", "jwt_claim_invalid", "exp must be a NumericDate")
        elif exp is not None and exp < now - leeway:
            b.failed("valid_until", "expired", f"the credential expired at {_stamp(exp)}")
        else:
            b.passed("valid_until", "exp has not passed" if exp else "no exp: it does not expire")

    b.guard("valid_from", dates)
    b.guard("recipient", lambda: _check_recipient(b, view, opts))
    b.guard("trusted_issuer", lambda: _check_trusted(b, iss, opts))
    report = b.build(fmt="sd-jwt", credential=view)
    from dataclasses import replace

    return replace(report, disclosed=disclosed)

"""The wallet's proof of possession: a JWT proof (OpenID4VCI 1.0 §8.2.1.1, Appendix F.1).

:func:`check_jwt_proof` reads the ``jwt`` a wallet puts in its credential request and returns
the key it proves and the holder identifier mcbadge binds the credential to:

* header ``typ`` must be ``openid4vci-proof+jwt`` (or ``application/openid4vci-proof+jwt``, in
  any case: RFC 7515 §4.1.9); ``alg`` EdDSA or ES256 (never ``none``,
  never HMAC); exactly one of ``jwk`` (a public JWK) and ``kid`` (a ``did:key`` or
  ``did:jwk`` DID URL, resolved offline); ``x5c`` and other key references are refused;
* the signature must verify with that key — a JWT signed by another key than its header names
  is refused;
* ``aud`` must be the credential issuer identifier; ``iat`` must be recent (at most
  :data:`PROOF_MAX_AGE` old, at most :data:`PROOF_CLOCK_SKEW` in the future), and an ``exp`` or
  ``nbf`` the wallet set is kept (RFC 7519); ``nonce`` must be
  present (its single use is the store's job, :meth:`mcbadge.store.Store.nonce_use`).

The holder's DID is the ``kid``'s DID, or the ``did:jwk`` of the ``jwk``: the subject ``id``
of an ``ldp_vc`` / ``jwt_vc_json`` credential. An SD-JWT VC gets the JWK itself as ``cnf.jwk``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from mcbadge._internal.jws import parse_compact, verify_signature
from mcbadge.did import did_jwk, resolve_did_jwk, resolve_did_key
from mcbadge.errors import KeyFormatError, McBadgeError, Oid4vciError, VerificationError
from mcbadge.keys import PRIVATE_JWK_MEMBERS, PublicKey

__all__ = [
    "PROOF_CLOCK_SKEW",
    "check_subject_binding",
    "PROOF_JWT_TYPE",
    "PROOF_MAX_AGE",
    "ProofOfPossession",
    "check_jwt_proof",
]

PROOF_JWT_TYPE: Final = "openid4vci-proof+jwt"
PROOF_MAX_AGE: Final = timedelta(minutes=5)
"""How old a proof's ``iat`` may be."""
PROOF_CLOCK_SKEW: Final = timedelta(seconds=60)
"""How far in the future a proof's ``iat`` may be (the wallet's clock may run ahead)."""
PROOF_ALGORITHMS_ALLOWED: Final = ("EdDSA", "ES256")


@dataclass(frozen=True)
class ProofOfPossession:
    """A checked JWT proof.

    Attributes:
        key: The wallet key the proof was signed with.
        jwk: That key as a public JWK (for ``cnf``).
        holder_did: The holder's DID (``kid``'s DID, or the ``did:jwk`` of ``jwk``).
        nonce: The ``c_nonce`` the proof carries (not yet checked against the store).
    """

    key: PublicKey
    jwk: dict[str, Any]
    holder_did: str
    nonce: str


def _refuse(message: str, reason: str) -> Oid4vciError:
    return Oid4vciError(message, code="invalid_proof", reason=reason, status=400)


def _key_from_header(header: dict[str, Any]) -> tuple[PublicKey, str]:
    refs = [
        name for name in ("jwk", "kid", "x5c", "trust_chain", "key_attestation") if name in header
    ]
    if refs not in (["jwk"], ["kid"]):
        raise _refuse(
            "the proof header must name its key by exactly one of 'jwk' or 'kid' (a did:key "
            f"or did:jwk URL); it has {refs or 'none'}",
            "proof_key_reference",
        )
    if "jwk" in header:
        jwk = header["jwk"]
        if not isinstance(jwk, dict) or PRIVATE_JWK_MEMBERS.intersection(jwk):
            raise _refuse("the proof's 'jwk' must be a public JWK", "proof_key_invalid")
        try:
            key = PublicKey.from_jwk(jwk)
        except KeyFormatError as exc:
            raise _refuse(
                f"the proof's 'jwk' is not usable: {exc.message}", "proof_key_invalid"
            ) from exc
        return key, did_jwk(key)
    kid = header["kid"]
    if not isinstance(kid, str) or not kid.startswith(("did:key:", "did:jwk:")):
        raise _refuse(
            "the proof's 'kid' must be a did:key or did:jwk DID URL", "proof_kid_unsupported"
        )
    try:
        document = resolve_did_key(kid) if kid.startswith("did:key:") else resolve_did_jwk(kid)
        if "#" in kid:
            method = document.verification_method(kid)
        else:
            method = document.verification_methods[0]
    except McBadgeError as exc:
        raise _refuse(
            f"the proof's 'kid' does not resolve: {exc.message}", "proof_kid_unresolvable"
        ) from exc
    return method.public_key, document.id


def check_jwt_proof(token: Any, *, audience: str, now: datetime) -> ProofOfPossession:
    """Check a wallet's JWT proof of possession (everything but the nonce's single use).

    Args:
        token: The ``jwt`` of the proof.
        audience: The credential issuer identifier the proof must name in ``aud``.
        now: The current time (timezone-aware).

    Returns:
        The :class:`ProofOfPossession`.

    Raises:
        Oid4vciError: ``invalid_proof`` (``details["reason"]`` says why: ``proof_malformed``,
            ``proof_typ``, ``proof_key_reference``, ``proof_signature``, ``proof_audience``,
            ``proof_iat``, ``proof_expired`` / ``proof_nbf`` (the proof's own ``exp`` / ``nbf``,
            with :data:`PROOF_CLOCK_SKEW` of leeway), ``proof_nonce_missing``…).

    Example:
        >>> check_jwt_proof(jwt, audience="https://hs.nl", now=now)  # doctest: +SKIP
    """
    try:
        parsed = parse_compact(
            token,
            what="proof JWT",
            typ=None,
            typ_code="proof_typ",
            algorithms=PROOF_ALGORITHMS_ALLOWED,
        )
    except VerificationError as exc:
        raise _refuse(exc.message, "proof_malformed") from exc
    # RFC 7515 §4.1.9: a typ without '/' stands for application/<typ>; media types compare
    # case-insensitively
    typ = parsed.header.get("typ")
    media = typ.lower() if isinstance(typ, str) else None
    if media not in (PROOF_JWT_TYPE, "application/" + PROOF_JWT_TYPE):
        raise _refuse(
            f"the proof JWT header typ is {typ!r}; expected {PROOF_JWT_TYPE!r}", "proof_typ"
        )
    key, holder_did = _key_from_header(parsed.header)
    try:
        verify_signature(parsed, key, what="proof JWT", code="proof_signature")
    except VerificationError as exc:
        raise _refuse(
            "the proof JWT is not signed by the key its header names", "proof_signature"
        ) from exc
    claims = parsed.payload
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if audience.rstrip("/") not in [a.rstrip("/") for a in audiences if isinstance(a, str)]:
        raise _refuse(
            f"the proof's aud {aud!r} is not this credential issuer ({audience})", "proof_audience"
        )
    iat = claims.get("iat")
    if isinstance(iat, bool) or not isinstance(iat, int | float):
        raise _refuse("the proof has no numeric 'iat'", "proof_iat")
    stamp = now.timestamp()
    if iat > stamp + PROOF_CLOCK_SKEW.total_seconds():
        raise _refuse("the proof's iat is in the future", "proof_iat")
    if iat < stamp - PROOF_MAX_AGE.total_seconds():
        raise _refuse("the proof is too old (iat); make a fresh one", "proof_iat")
    # RFC 7519 §4.1.4/§4.1.5: a wallet may bound its proof's life itself (Sphereon sends exp)
    for name, reason in (("exp", "proof_expired"), ("nbf", "proof_nbf")):
        bound = claims.get(name)
        if bound is None:
            continue
        if isinstance(bound, bool) or not isinstance(bound, int | float):
            raise _refuse(f"the proof's {name!r} is not a number", reason)
        if name == "exp" and stamp >= bound + PROOF_CLOCK_SKEW.total_seconds():
            raise _refuse("the proof has expired (its own exp)", reason)
        if name == "nbf" and bound > stamp + PROOF_CLOCK_SKEW.total_seconds():
            raise _refuse("the proof is not valid yet (nbf)", reason)
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise Oid4vciError(
            "the proof carries no c_nonce; get one from the nonce endpoint",
            code="invalid_nonce",
            reason="nonce_missing",
            status=400,
        )
    return ProofOfPossession(key=key, jwk=key.to_jwk(), holder_did=holder_did, nonce=nonce)


def check_subject_binding(credential: dict[str, Any], proof: ProofOfPossession) -> str | None:
    """The subject ``id`` the credential keeps, checked against the wallet's key.

    When the offered credential already names its subject (the SIS knew the learner's DID),
    the wallet must prove *that* DID's key: the same DID, or a ``did:key`` / ``did:jwk`` of the
    same key. Returns the existing id (``None`` when the credential names none: the wallet's
    DID becomes the subject).

    Raises:
        Oid4vciError: ``invalid_proof`` / ``proof_not_subject_key``.

    Example:
        >>> check_subject_binding({"credentialSubject": {}}, proof)  # doctest: +SKIP
    """
    subject = credential.get("credentialSubject")
    target = subject[0] if isinstance(subject, list) and subject else subject
    existing = target.get("id") if isinstance(target, dict) else None
    if not isinstance(existing, str):
        return None
    if existing == proof.holder_did:
        return existing
    key: PublicKey | None = None
    if existing.startswith(("did:key:", "did:jwk:")):
        try:
            resolve = resolve_did_key if existing.startswith("did:key:") else resolve_did_jwk
            key = resolve(existing).verification_methods[0].public_key
        except McBadgeError:
            key = None
    if key is None or key != proof.key:
        raise _refuse(
            f"this credential is for {existing}; the proof is not signed by that subject's key",
            "proof_not_subject_key",
        )
    return existing

"""SD-JWT key binding (RFC 9901 §4.3, §7.3): the holder's presentation and its check.

* :func:`present` — the holder keeps the chosen Disclosures (and those that contain them) and
  appends a Key Binding JWT (``typ: kb+jwt``; ``iat``, ``aud``, ``nonce``, ``sd_hash``) signed
  with the key in the credential's ``cnf``.
* :func:`check_key_binding` — the verifier checks it: ``typ``, the signature by the ``cnf`` key,
  ``aud``, ``nonce``, a fresh ``iat`` and ``sd_hash`` over exactly this presentation.

Example:
    >>> from mcbadge.keys import KeyPair
    >>> from mcbadge.proofs.sdjwt import issue_sd_jwt, verify_sd_jwt
    >>> issuer, holder = KeyPair.generate("P-256"), KeyPair.generate("P-256")
    >>> token = issue_sd_jwt({"cnf": {"jwk": holder.public_jwk()}, "a": 1}, issuer,
    ...                      disclosable=[("a",)])
    >>> shown = present(token, holder_key=holder, audience="v", nonce="n")
    >>> verify_sd_jwt(shown, key=issuer.public_key, audience="v", nonce="n").claims["a"]
    1
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from mcbadge._internal.jws import parse_compact, sign_compact, verify_signature
from mcbadge.errors import InvalidInputError, KeyFormatError, SdJwtError
from mcbadge.keys import PRIVATE_JWK_MEMBERS, PublicKey, Signer
from mcbadge.proofs.sdjwt_format import (
    ClaimPath,
    DisclosedClaim,
    SdJwt,
    _digest,
    _fail,
    parse_sd_jwt,
    process_disclosures,
)

__all__ = [
    "DEFAULT_KB_MAX_AGE",
    "KB_JWT_TYPE",
    "KeyBinding",
    "check_key_binding",
    "holder_key_of",
    "present",
]

KB_JWT_TYPE: Final = "kb+jwt"
DEFAULT_KB_MAX_AGE: Final = timedelta(minutes=5)
"""How old a KB-JWT's ``iat`` may be by default."""


# --------------------------------------------------------------------------- key binding


@dataclass(frozen=True)
class KeyBinding:
    """A checked Key Binding JWT.

    Attributes:
        audience: Its ``aud``.
        nonce: Its ``nonce``.
        issued_at: Its ``iat``.
        key: The holder key from ``cnf`` that signed it.
        header: Its header.
        payload: Its payload.
    """

    audience: str
    nonce: str
    issued_at: datetime
    key: PublicKey
    header: dict[str, Any] = field(repr=False)
    payload: dict[str, Any] = field(repr=False)


def holder_key_of(claims: Mapping[str, Any]) -> PublicKey:
    """The holder's public key from ``cnf.jwk``.

    Raises:
        SdJwtError: ``sdjwt_cnf_missing`` or ``sdjwt_cnf_unsupported``.
    """
    cnf = claims.get("cnf")
    if cnf is None:
        raise _fail(
            "the SD-JWT has no cnf claim, so it is not bound to a holder key",
            "sdjwt_cnf_missing",
        )
    if not isinstance(cnf, Mapping) or not isinstance(cnf.get("jwk"), Mapping):
        raise _fail(
            "the cnf claim must hold a jwk (other confirmation methods need remote keys and are "
            "not followed)",
            "sdjwt_cnf_unsupported",
        )
    jwk = cnf["jwk"]
    if PRIVATE_JWK_MEMBERS.intersection(jwk):
        raise _fail("the cnf jwk contains private key material", "sdjwt_cnf_unsupported")
    try:
        return PublicKey.from_jwk(jwk)
    except KeyFormatError as exc:
        raise _fail(f"the cnf jwk is not usable: {exc.message}", "sdjwt_cnf_unsupported") from exc


def check_key_binding(
    sd_jwt: SdJwt,
    claims: Mapping[str, Any],
    *,
    audience: str,
    nonce: str,
    now: datetime | None = None,
    max_age: timedelta = DEFAULT_KB_MAX_AGE,
    leeway: timedelta = timedelta(minutes=1),
) -> KeyBinding:
    """Check the Key Binding JWT of a presentation (RFC 9901 §7.3).

    Args:
        sd_jwt: The parsed presentation.
        claims: The processed (or raw) issuer payload, for its ``cnf``.
        audience: The verifier's identifier; the KB-JWT's ``aud`` must equal it.
        nonce: The verifier's nonce; the KB-JWT's ``nonce`` must equal it.
        now: The current time (default UTC now).
        max_age: How old ``iat`` may be.
        leeway: Clock skew allowed both ways.

    Returns:
        The :class:`KeyBinding`.

    Raises:
        SdJwtError: ``sdjwt_kb_missing``, ``sdjwt_kb_typ_invalid``, ``sdjwt_cnf_missing``,
            ``sdjwt_cnf_unsupported``, ``sdjwt_kb_signature_invalid`` (not signed by the
            ``cnf`` key), ``sdjwt_kb_claim_missing``, ``sdjwt_kb_audience_mismatch``,
            ``sdjwt_kb_nonce_mismatch``, ``sdjwt_kb_stale``, ``sdjwt_kb_in_future``,
            ``sdjwt_kb_sd_hash_mismatch``, and the JWT codes (``jwt_alg_none``…).
    """
    if sd_jwt.kb_jwt is None:
        raise _fail(
            "a Key Binding JWT is required (the verifier gave an audience and nonce) but the "
            "presentation has none",
            "sdjwt_kb_missing",
        )
    try:
        kb = parse_compact(
            sd_jwt.kb_jwt, what="KB-JWT", typ=(KB_JWT_TYPE,), typ_code="sdjwt_kb_typ_invalid"
        )
    except SdJwtError:
        raise
    except Exception as exc:
        raise _fail(
            getattr(exc, "message", str(exc)), getattr(exc, "code", "sdjwt_malformed")
        ) from exc
    key = holder_key_of(claims)
    try:
        verify_signature(kb, key, what="KB-JWT", code="sdjwt_kb_signature_invalid")
    except SdJwtError:
        raise
    except Exception as exc:
        raise _fail(
            "the KB-JWT is not signed by the holder key in the credential's cnf claim",
            "sdjwt_kb_signature_invalid",
        ) from exc
    payload = kb.payload
    for claim in ("iat", "aud", "nonce", "sd_hash"):
        if claim not in payload:
            raise _fail(f"the KB-JWT has no {claim} claim", "sdjwt_kb_claim_missing", claim=claim)
    if payload["aud"] != audience:
        raise _fail(
            f"the KB-JWT is for the audience {payload['aud']!r}, not {audience!r}",
            "sdjwt_kb_audience_mismatch",
        )
    if payload["nonce"] != nonce:
        raise _fail("the KB-JWT nonce is not the verifier's nonce", "sdjwt_kb_nonce_mismatch")
    iat = payload["iat"]
    if isinstance(iat, bool) or not isinstance(iat, int | float):
        raise _fail("the KB-JWT iat must be a NumericDate", "sdjwt_kb_claim_missing", claim="iat")
    moment = datetime.fromtimestamp(max(min(float(iat), 253402300799.0), 0.0), UTC)
    current = now or datetime.now(UTC)
    if moment > current + leeway:
        raise _fail(f"the KB-JWT was issued in the future (iat {iat})", "sdjwt_kb_in_future")
    if moment < current - max_age - leeway:
        raise _fail(
            f"the KB-JWT is too old (iat {iat}; at most {int(max_age.total_seconds())} s)",
            "sdjwt_kb_stale",
        )
    expected = _digest(sd_jwt.presentation_without_kb, sd_jwt.sd_alg)
    if payload["sd_hash"] != expected:
        raise _fail(
            "the KB-JWT's sd_hash does not cover this presentation (it was made for another "
            "selection of Disclosures or another SD-JWT)",
            "sdjwt_kb_sd_hash_mismatch",
        )
    return KeyBinding(
        audience=audience,
        nonce=nonce,
        issued_at=moment,
        key=key,
        header=kb.header,
        payload=payload,
    )


# --------------------------------------------------------------------------- presentation


def _selected(path: ClaimPath, wanted: Sequence[ClaimPath]) -> bool:
    for rule in wanted:
        if len(rule) > len(path):
            continue
        if all(
            r is None and isinstance(p, int) or r == p for r, p in zip(rule, path, strict=False)
        ):
            return True
    return False


def present(
    sd_jwt: str,
    *,
    disclose: Iterable[ClaimPath] | None = None,
    holder_key: Signer | None = None,
    audience: str | None = None,
    nonce: str | None = None,
    issued_at: datetime | None = None,
) -> str:
    """Make a presentation: keep the chosen Disclosures, optionally add a Key Binding JWT.

    A Disclosure is kept when its claim path (in the fully disclosed payload) starts with one
    of the ``disclose`` paths — so ``("credentialSubject", "result")`` shows every result —
    and the Disclosures that contain a kept one are kept too.

    Args:
        sd_jwt: The SD-JWT as issued (its KB-JWT, if any, is dropped).
        disclose: The claim paths to show (``None``: show everything; ``[]``: nothing).
        holder_key: The key in the credential's ``cnf``: adds a KB-JWT signed with it.
        audience: The KB-JWT ``aud`` (required with ``holder_key``).
        nonce: The KB-JWT ``nonce`` (required with ``holder_key``).
        issued_at: The KB-JWT ``iat`` (default now).

    Returns:
        ``<JWT>~<kept Disclosures>~`` or ``…~<KB-JWT>``.

    Raises:
        SdJwtError: the SD-JWT is malformed.
        InvalidInputError: ``holder_key`` without ``audience``/``nonce`` (or the reverse).
        SigningError: the KB-JWT cannot be signed.

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> from mcbadge.proofs.sdjwt import issue_sd_jwt
        >>> token = issue_sd_jwt({"a": 1, "b": 2}, KeyPair.generate("Ed25519"),
        ...                      disclosable=[("a",), ("b",)])
        >>> present(token, disclose=[("a",)]).count("~")
        2
    """
    if (holder_key is not None) != (audience is not None) or (audience is None) != (nonce is None):
        raise InvalidInputError(
            "a key-bound presentation needs holder_key=, audience= and nonce= together",
            code="invalid_option",
        )
    parsed = parse_sd_jwt(sd_jwt, typ=None)
    processed = process_disclosures(
        SdJwt(jwt=parsed.jwt, jws=parsed.jws, disclosures=parsed.disclosures, kb_jwt=None)
    )
    if disclose is None:
        keep = {d.digest for d in processed.disclosed}
    else:
        wanted = [tuple(p) for p in disclose]
        by_digest = {d.digest: d for d in processed.disclosed}
        keep = set()
        for item in processed.disclosed:
            if _selected(item.path, wanted):
                current: DisclosedClaim | None = item
                while current is not None and current.digest not in keep:
                    keep.add(current.digest)
                    current = by_digest.get(current.parent) if current.parent else None
    kept = [d.disclosure.encoded for d in processed.disclosed if d.digest in keep]
    text = "~".join([parsed.jwt, *kept, ""])
    if holder_key is None:
        return text
    moment = issued_at or datetime.now(UTC)
    kb_payload = {
        "iat": int(moment.timestamp()),
        "aud": audience,
        "nonce": nonce,
        "sd_hash": _digest(text, parsed.sd_alg),
    }
    return text + sign_compact({"typ": KB_JWT_TYPE}, kb_payload, holder_key)

"""SD-JWT: Selective Disclosure for JWTs (RFC 9901) — issue, present, verify.

An SD-JWT is an issuer-signed JWT whose payload holds *digests* instead of some claims, plus
*Disclosures* (``base64url(JSON [salt, name, value])`` for an object member, ``[salt, value]``
for an array element) that the holder may reveal one by one::

    <issuer-signed JWT>~<Disclosure 1>~…~<Disclosure N>~[<KB-JWT>]

* :func:`issue_sd_jwt` makes one from a claims object and the :data:`ClaimPath` s that are to
  be selectively disclosable (recursively: a disclosable claim may hold disclosable claims), with
  decoy digests and sorted ``_sd`` arrays so that neither the number nor the order of the hidden
  claims shows.
* :func:`verify_sd_jwt` is the verifier's side (RFC 9901 §7): the signature, the Disclosures
  and, when asked, the Key Binding JWT.

This is the documented path of every SD-JWT name. The format itself (:class:`Disclosure`,
:func:`parse_sd_jwt`, :func:`process_disclosures`) lives in :mod:`mcbadge.proofs.sdjwt_format`
and key binding (the holder's :func:`~mcbadge.proofs.sdjwt_kb.present`, the verifier's
:func:`~mcbadge.proofs.sdjwt_kb.check_key_binding`) in :mod:`mcbadge.proofs.sdjwt_kb`; both sit
below this module and their names are re-exported here. Every known attack is refused
with a :class:`~mcbadge.errors.SdJwtError` and a stable code (see the table in
``docs/sd-jwt.md``).

May import: :mod:`mcbadge.proofs.sdjwt_format`, :mod:`mcbadge.proofs.sdjwt_kb`,
:mod:`mcbadge.keys`, :mod:`mcbadge.errors`, :mod:`mcbadge._internal`.

Example:
    >>> from mcbadge.keys import KeyPair
    >>> issuer = KeyPair.generate("P-256")
    >>> token = issue_sd_jwt({"iss": "https://hs.nl", "vct": "https://hs.nl/vct/mc",
    ...     "grade": "8"}, issuer, disclosable=[("grade",)], kid="https://hs.nl#k")
    >>> from mcbadge.proofs.sdjwt_kb import present
    >>> shown = present(token, disclose=[])
    >>> verify_sd_jwt(shown, key=issuer.public_key).claims
    {'iss': 'https://hs.nl', 'vct': 'https://hs.nl/vct/mc'}
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mcbadge._internal.jws import sign_compact, verify_signature
from mcbadge._internal.multibase import base64url_encode
from mcbadge.errors import InvalidInputError, SdJwtError, SigningError
from mcbadge.keys import PublicKey, Signer
from mcbadge.proofs.sdjwt_format import (
    _MAX_DEPTH,
    _RESERVED,
    SD_ALGORITHMS,
    SD_JWT_VC_TYPES,
    ClaimPath,
    DisclosedClaim,
    Disclosure,
    ProcessedSdJwt,
    SdJwt,
    _digest,
    _fail,
    format_path,
    looks_like_sd_jwt,
    parse_sd_jwt,
    process_disclosures,
)
from mcbadge.proofs.sdjwt_kb import (
    DEFAULT_KB_MAX_AGE,
    KeyBinding,
    check_key_binding,
    holder_key_of,
    present,
)

__all__ = [
    "DEFAULT_KB_MAX_AGE",
    "SD_ALGORITHMS",
    "SD_JWT_VC_TYPES",
    "ClaimPath",
    "DisclosedClaim",
    "Disclosure",
    "KeyBinding",
    "ProcessedSdJwt",
    "SdJwt",
    "VerifiedSdJwt",
    "check_key_binding",
    "format_path",
    "holder_key_of",
    "issue_sd_jwt",
    "looks_like_sd_jwt",
    "parse_sd_jwt",
    "present",
    "process_disclosures",
    "verify_sd_jwt",
]


def _decoy(sd_alg: str) -> str:
    return base64url_encode(SD_ALGORITHMS[sd_alg](secrets.token_bytes(32)).digest())


# --------------------------------------------------------------------------- issuance


class _Concealer:
    def __init__(self, sd_alg: str, decoys: int | None) -> None:
        self.sd_alg = sd_alg
        self.decoys = decoys
        self.disclosures: list[str] = []

    def _decoy_count(self) -> int:
        return self.decoys if self.decoys is not None else 1 + secrets.randbelow(3)

    def conceal(self, value: Any, rules: list[ClaimPath], depth: int) -> Any:
        if depth > _MAX_DEPTH:
            raise SigningError("the claims nest too deeply", code="sdjwt_too_deep")
        if isinstance(value, Mapping):
            return self._object(value, rules, depth)
        if isinstance(value, list):
            return self._array(value, rules, depth)
        return value

    def _object(self, value: Mapping[str, Any], rules: list[ClaimPath], depth: int) -> Any:
        out: dict[str, Any] = {}
        digests: list[str] = []
        for name, child in value.items():
            if name in _RESERVED:
                raise SigningError(
                    f"a claim may not be named {name!r} (RFC 9901 reserves it)",
                    code="sdjwt_reserved_claim_name",
                )
            tails = [r[1:] for r in rules if r and r[0] == name]
            inner = self.conceal(child, [t for t in tails if t], depth + 1)
            if () in tails:
                disclosure = Disclosure.create(name, inner)
                self.disclosures.append(disclosure.encoded)
                digests.append(_digest(disclosure.encoded, self.sd_alg))
            else:
                out[name] = inner
        if digests:
            digests.extend(_decoy(self.sd_alg) for _ in range(self._decoy_count()))
            out["_sd"] = sorted(digests)
        return out

    def _array(self, value: list[Any], rules: list[ClaimPath], depth: int) -> Any:
        out: list[Any] = []
        for index, child in enumerate(value):
            tails = [r[1:] for r in rules if r and (r[0] is None or r[0] == index)]
            inner = self.conceal(child, [t for t in tails if t], depth + 1)
            if () in tails:
                disclosure = Disclosure.create(None, inner)
                self.disclosures.append(disclosure.encoded)
                out.append({"...": _digest(disclosure.encoded, self.sd_alg)})
            else:
                out.append(inner)
        return out


def issue_sd_jwt(
    claims: Mapping[str, Any],
    signer: Signer,
    *,
    disclosable: Iterable[ClaimPath],
    typ: str = "dc+sd-jwt",
    kid: str | None = None,
    sd_alg: str = "sha-256",
    decoys: int | None = None,
) -> str:
    """Issue an SD-JWT: conceal the ``disclosable`` claims and sign.

    Args:
        claims: The full payload (registered claims included). Not modified.
        signer: The issuer's key (any :class:`~mcbadge.keys.Signer`).
        disclosable: The claims to make selectively disclosable. ``("a", "b")`` makes member
            ``b`` of object ``a`` disclosable; ``("list", None)`` makes each element of
            ``list`` a disclosable array element. Paths nest: ``("a",)`` and ``("a", "b")``
            together give a disclosable ``a`` whose member ``b`` is disclosable on its own.
            Paths that match nothing are ignored.
        typ: The JOSE ``typ`` (``dc+sd-jwt`` for an SD-JWT VC).
        kid: The header ``kid`` (default ``signer.verification_method``; omitted if neither).
        sd_alg: The digest algorithm (``sha-256`` by default).
        decoys: Decoy digests per ``_sd`` array; default a random 1–3.

    Returns:
        ``<JWT>~<Disclosure>~…~``, the Disclosures in issuance order.

    Raises:
        SigningError: a reserved claim name (``_sd``, ``...``), an unsupported ``sd_alg``,
            claims that are not JSON, or a signing failure.

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> token = issue_sd_jwt({"a": 1, "b": [1, 2]}, KeyPair.generate("Ed25519"),
        ...                      disclosable=[("a",), ("b", None)], decoys=0)
        >>> token.count("~")
        4
    """
    if sd_alg not in SD_ALGORITHMS:
        raise SigningError(
            f"unsupported _sd_alg {sd_alg!r}; use one of {', '.join(SD_ALGORITHMS)}",
            code="sdjwt_sd_alg_unsupported",
        )
    if decoys is not None and (isinstance(decoys, bool) or not 0 <= decoys <= 100):
        raise InvalidInputError("decoys must be 0 to 100", code="invalid_option")
    rules = [tuple(r) for r in disclosable]
    for rule in rules:
        if not rule:
            raise InvalidInputError("an empty claim path selects nothing", code="invalid_option")
    concealer = _Concealer(sd_alg, decoys)
    payload = concealer.conceal(dict(claims), rules, 0)
    if concealer.disclosures or sd_alg != "sha-256":
        payload["_sd_alg"] = sd_alg
    header: dict[str, Any] = {"typ": typ}
    chosen_kid = kid if kid is not None else signer.verification_method
    if chosen_kid:
        header["kid"] = chosen_kid
    jwt = sign_compact(header, payload, signer)
    return "~".join([jwt, *concealer.disclosures, ""])


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class VerifiedSdJwt:
    """A verified SD-JWT: signature, Disclosures and (when asked) key binding.

    Attributes:
        header: The issuer-signed JWT header.
        claims: The processed payload.
        disclosed: The disclosed claims.
        key_binding: The checked KB-JWT, or ``None`` when none was required.
    """

    header: dict[str, Any]
    claims: dict[str, Any]
    disclosed: tuple[DisclosedClaim, ...]
    key_binding: KeyBinding | None

    @property
    def disclosed_paths(self) -> tuple[str, ...]:
        """The disclosed claims' paths as text."""
        return tuple(format_path(d.path) for d in self.disclosed)


def verify_sd_jwt(
    text: str,
    *,
    key: PublicKey,
    typ: Collection[str] | None = SD_JWT_VC_TYPES,
    audience: str | None = None,
    nonce: str | None = None,
    now: datetime | None = None,
    max_age: timedelta = DEFAULT_KB_MAX_AGE,
) -> VerifiedSdJwt:
    """Verify an SD-JWT with a known issuer key (the low-level check; see :func:`mcbadge.verify`).

    Only the SD-JWT mechanics are checked here: the signature, the Disclosures and, when
    ``audience`` and ``nonce`` are given, the Key Binding JWT. Dates, status and the issuer's
    identity are :func:`mcbadge.verify`'s job.

    Args:
        text: The SD-JWT or presentation.
        key: The issuer's public key.
        typ: The accepted ``typ`` values.
        audience: Require a KB-JWT for this audience (with ``nonce``).
        nonce: Require a KB-JWT with this nonce (with ``audience``).
        now: The current time, for the KB-JWT's ``iat``.
        max_age: How old the KB-JWT may be.

    Returns:
        The :class:`VerifiedSdJwt`.

    Raises:
        SdJwtError: any refusal (see :func:`parse_sd_jwt`, :func:`process_disclosures`,
            :func:`check_key_binding`), or ``sdjwt_signature_invalid``.
        InvalidInputError: only one of ``audience`` / ``nonce`` was given.
    """
    if (audience is None) != (nonce is None):
        raise InvalidInputError(
            "give both audience= and nonce= to require key binding, or neither",
            code="invalid_option",
        )
    parsed = parse_sd_jwt(text, typ=typ)
    try:
        verify_signature(parsed.jws, key, what="SD-JWT", code="sdjwt_signature_invalid")
    except SdJwtError:
        raise
    except Exception as exc:
        raise _fail(
            getattr(exc, "message", str(exc)), getattr(exc, "code", "sdjwt_signature_invalid")
        ) from exc
    processed = process_disclosures(parsed)
    binding = None
    if audience is not None and nonce is not None:
        binding = check_key_binding(
            parsed, processed.claims, audience=audience, nonce=nonce, now=now, max_age=max_age
        )
    return VerifiedSdJwt(
        header=parsed.header,
        claims=processed.claims,
        disclosed=processed.disclosed,
        key_binding=binding,
    )

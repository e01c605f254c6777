"""VC-JWT in the Open Badges 3.0 form (OB3 §8.2, "JSON Web Token Proof Format").

The JWT payload *is* the credential, plus the registered claims ``iss`` (``issuer.id``),
``jti`` (``id``), ``nbf`` (``validFrom``), ``sub`` (``credentialSubject.id``) and ``exp``
(``validUntil``). The JOSE header holds ``alg``, exactly one of ``kid`` / ``jwk`` and,
optionally, ``typ: "JWT"`` — OB3 allows no other header parameters.

Signing goes through the :class:`~mcbadge.keys.Signer` protocol (so an HSM or KMS can
sign): the JWS signing input is built here and handed to ``signer.sign``. Decoding is
strict: ``alg: none``, HMAC algorithms, unknown algorithms, ``crit``, other ``typ`` values,
extra header parameters, private keys in ``jwk``, duplicate JSON members and non-canonical
base64url are refused, each with its own :class:`~mcbadge.errors.VerificationError` code.
Tokens in the older VC-DM 1.1 form (the credential in a ``vc`` claim) are read too and
flagged ``legacy=True``.

Allowed algorithms: ``EdDSA`` (Ed25519), ``ES256`` (P-256), ``RS256`` and ``PS256``
(RSA >= 2048 bits).

This module is the JOSE part (header, signing input, strict decoding); the registered claims
and their agreement with the credential live in :mod:`mcbadge.proofs.jwt_claims` below it,
and :func:`check_jwt_claims`, :func:`claim_times`, :class:`ClaimProblem` and
:data:`REGISTERED_CLAIMS` are imported from here, the documented path. May import:
:mod:`mcbadge.proofs.jwt_claims`, :mod:`mcbadge.keys`, :mod:`mcbadge.errors`,
:mod:`mcbadge._internal`.

Example:
    >>> from mcbadge.keys import KeyPair
    >>> key = KeyPair.generate("Ed25519")
    >>> key = key.with_verification_method(key.did_key_verification_method)
    >>> credential = {"@context": ["https://www.w3.org/ns/credentials/v2"],
    ...     "id": "urn:uuid:1", "type": ["VerifiableCredential"], "issuer": key.did_key,
    ...     "validFrom": "2025-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:1"}}
    >>> token = sign_credential_jwt(credential, key)
    >>> result = decode_credential_jwt(token, key=key.public_key)
    >>> result.credential == credential, result.payload["nbf"], check_jwt_claims(result.payload)
    (True, 1735689600, [])
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

from mcbadge._internal.jsontext import JsonTextError, loads_strict
from mcbadge._internal.multibase import base64url_decode, base64url_encode
from mcbadge.errors import (
    InvalidInputError,
    KeyFormatError,
    McBadgeError,
    SigningError,
    VerificationError,
)
from mcbadge.keys import PRIVATE_JWK_MEMBERS, SUPPORTED_ALGORITHMS, KeyPair, PublicKey, Signer
from mcbadge.proofs.jwt_claims import (
    REGISTERED_CLAIMS,
    ClaimProblem,
    _claims_for,
    _split_payload,
    check_jwt_claims,
    claim_times,
)

__all__ = [
    "ALLOWED_ALGORITHMS",
    "REGISTERED_CLAIMS",
    "ClaimProblem",
    "JwtResult",
    "KeyResolver",
    "check_jwt_claims",
    "claim_times",
    "decode_credential_jwt",
    "parse_credential_jwt",
    "sign_credential_jwt",
]

ALLOWED_ALGORITHMS: Final[tuple[str, ...]] = SUPPORTED_ALGORITHMS
"""JOSE algorithms accepted by default: EdDSA, ES256, RS256, PS256."""


KeyResolver = Callable[[Mapping[str, Any]], PublicKey]
"""Called with the JOSE header (when it has a ``kid``); returns the key to verify with."""

_HEADER_MEMBERS: Final = frozenset({"alg", "kid", "jwk", "typ"})


@dataclass(frozen=True)
class JwtResult:
    """A decoded VC-JWT.

    Attributes:
        header: The JOSE header.
        payload: The JWT claims set (for OB3 tokens: the credential plus claims).
        credential: The credential: the payload without registered claims, or the ``vc``
            claim of a legacy token. A copy: changing it changes nothing else.
        legacy: ``True`` for the VC-DM 1.1 form (credential in the ``vc`` claim).
        kid: The header ``kid``, if any.
        key: The key the signature was checked with (``None`` when not verified).
        key_source: ``"explicit"`` (the ``key`` argument), ``"resolver"`` (from the ``kid``)
            or ``"jwk_header"`` (the token's own ``jwk`` — the caller must still decide to
            trust that key, e.g. that it belongs to the issuer).
        verified: Whether the signature was checked and is valid.
        signing_input: The bytes the signature covers (``header.payload``).
        signature: The raw signature.

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> key = KeyPair.generate("P-256")
        >>> token = sign_credential_jwt({"@context": [], "issuer": "https://hs.nl",
        ...     "validFrom": "2025-01-01T00:00:00Z"}, key, embed_jwk=True)
        >>> parse_credential_jwt(token).algorithm
        'ES256'
    """

    header: dict[str, Any]
    payload: dict[str, Any]
    credential: dict[str, Any]
    legacy: bool
    kid: str | None
    key: PublicKey | None = None
    key_source: Literal["explicit", "resolver", "jwk_header"] | None = None
    verified: bool = False
    signing_input: bytes = field(default=b"", repr=False)
    signature: bytes = field(default=b"", repr=False)

    @property
    def algorithm(self) -> str:
        """The header ``alg``."""
        return str(self.header["alg"])


# --------------------------------------------------------------------------- helpers


def _fail(message: str, code: str, **details: Any) -> VerificationError:
    return VerificationError(message, code=code, **details)


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8"
    )


def _loads_strict(data: bytes, part: str) -> Any:
    try:
        return loads_strict(data)
    except JsonTextError as exc:
        if exc.kind == "duplicate":
            raise _fail(
                f"the JWT {part} has the member {exc.member!r} twice",
                "jwt_duplicate_member",
                member=exc.member,
            ) from exc
        raise _fail(f"the JWT {part} is not valid JSON: {exc.reason}", "jwt_bad_json") from exc


def _b64_part(segment: str, part: str) -> bytes:
    try:
        return base64url_decode(segment)
    except InvalidInputError as exc:
        raise _fail(f"the JWT {part} is not base64url: {exc.message}", "jwt_bad_base64") from exc


# --------------------------------------------------------------------------- signing


def sign_credential_jwt(
    credential: Mapping[str, Any],
    signer: Signer,
    *,
    kid: str | None = None,
    embed_jwk: bool = False,
    typ: Literal["JWT"] | None = "JWT",
) -> str:
    """Sign a credential as an OB3 VC-JWT (compact JWS); the input is not changed.

    The payload is the credential's JSON plus ``iss``, ``jti`` (when the credential has an
    ``id``), ``nbf``, ``sub`` (when ``credentialSubject.id`` is set) and ``exp`` (when
    ``validUntil`` is set), serialized compactly as UTF-8 in the credential's member order.
    The signature is made by ``signer.sign`` and checked against ``signer.public_jwk()``
    before the token is returned.

    Args:
        credential: The unsigned (or Data-Integrity-signed) credential.
        signer: A :class:`~mcbadge.keys.Signer` (``KeyPair``, HSM, KMS...).
        kid: The header ``kid``; defaults to ``signer.verification_method``.
        embed_jwk: Put the public key in the header ``jwk`` instead of a ``kid``.
        typ: ``"JWT"`` (default) or ``None`` to omit it; OB3 allows nothing else.

    Returns:
        The compact JWS ``header.payload.signature``.

    Raises:
        SigningError: no issuer id or ``validFrom``, no ``@context``, both ``kid`` and
            ``embed_jwk``, no ``kid`` available, a claim that contradicts the credential, an
            unsupported algorithm, a signer whose signature does not verify with its own
            public key, or a value that is not JSON.

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> token = sign_credential_jwt({"@context": [], "issuer": {"id": "https://hs.nl"},
        ...     "validFrom": "2025-01-01T00:00:00Z"}, KeyPair.generate("RSA"), kid="https://hs.nl/k")
        >>> parse_credential_jwt(token).header
        {'alg': 'RS256', 'kid': 'https://hs.nl/k', 'typ': 'JWT'}
    """
    if not isinstance(credential, Mapping):
        raise SigningError(
            f"the credential must be a JSON object (mapping), got {type(credential).__name__}",
            code="jwt_invalid_credential",
        )
    if "@context" not in credential:
        raise SigningError(
            "the credential has no @context; a VC-JWT payload must be the credential itself",
            code="jwt_invalid_credential",
        )
    # A KeyPair (not a subclass) signs with `cryptography` in this process, with its own key.
    in_process = type(signer) is KeyPair
    if not in_process and not isinstance(signer, Signer):
        raise SigningError(
            "signer must implement mcbadge.keys.Signer (algorithm, key_type, "
            "verification_method, public_jwk(), sign())",
            code="jwt_invalid_signer",
        )
    algorithm = signer.algorithm
    if algorithm not in ALLOWED_ALGORITHMS:
        raise SigningError(
            f"the signer's algorithm {algorithm!r} is not allowed for VC-JWT; use one of "
            f"{', '.join(ALLOWED_ALGORITHMS)}",
            code="jwt_alg_not_allowed",
        )
    try:
        public = (
            signer.public_key
            if isinstance(signer, KeyPair) and in_process
            else PublicKey.from_jwk(signer.public_jwk())
        )
    except KeyFormatError as exc:
        raise SigningError(
            f"the signer's public_jwk() is not a usable public key: {exc.message}",
            code="jwt_invalid_signer",
        ) from exc
    if not public.supports_algorithm(algorithm):
        raise SigningError(
            f"the signer's algorithm {algorithm} does not fit its {public.key_type} key",
            code="jwt_invalid_signer",
        )

    header: dict[str, Any] = {"alg": algorithm}
    if embed_jwk:
        if kid is not None:
            raise SigningError(
                "pass either kid=... or embed_jwk=True, not both: OB3 wants exactly one of "
                "the kid and jwk headers",
                code="jwt_kid_and_jwk",
            )
        header["jwk"] = public.to_jwk()
    else:
        chosen = kid if kid is not None else signer.verification_method
        if not isinstance(chosen, str) or not chosen:
            raise SigningError(
                "no kid for the JWT header: pass kid=..., give the key a verification method "
                "(key.with_verification_method(...)), or use embed_jwk=True",
                code="jwt_no_key_reference",
            )
        header["kid"] = chosen
    if typ is not None:
        if typ != "JWT":
            raise SigningError(
                f"typ must be 'JWT' or None (OB3 §8.2), got {typ!r}", code="jwt_typ_not_allowed"
            )
        header["typ"] = "JWT"

    payload: dict[str, Any] = dict(credential)
    for claim, value in _claims_for(credential).items():
        if claim in payload and payload[claim] != value:
            raise SigningError(
                f"the credential already has a top-level {claim!r} ({payload[claim]!r}) that "
                f"contradicts the claim derived from it ({value!r})",
                code="jwt_claim_conflict",
                claim=claim,
            )
        payload[claim] = value
    try:
        encoded_payload = base64url_encode(_json_bytes(payload))
    except (TypeError, ValueError) as exc:
        raise SigningError(
            f"the credential cannot be serialized as JSON: {exc}", code="jwt_invalid_credential"
        ) from exc
    signing_input = f"{base64url_encode(_json_bytes(header))}.{encoded_payload}"

    try:
        signature = signer.sign(signing_input.encode("ascii"))
    except SigningError:
        raise
    except Exception as exc:
        raise SigningError(
            f"the signer failed: {exc}", code="jwt_signer_failed", signer=type(signer).__name__
        ) from exc
    if not isinstance(signature, bytes | bytearray):
        raise SigningError(
            f"signer.sign() must return bytes, got {type(signature).__name__}",
            code="jwt_signer_failed",
        )
    try:
        # An external signer (HSM, KMS) may return another encoding or sign with another
        # key: check it. A KeyPair signs here, with the key the header names.
        if not in_process:
            public.verify(signing_input.encode("ascii"), bytes(signature), algorithm=algorithm)
    except (VerificationError, KeyFormatError) as exc:
        hint = (
            " (ES256 needs the raw r||s form: convert DER with mcbadge.keys.ecdsa_der_to_raw)"
            if algorithm == "ES256"
            else ""
        )
        raise SigningError(
            "the signer's signature does not verify with its own public_jwk()" + hint,
            code="jwt_signer_failed",
        ) from exc
    return f"{signing_input}.{base64url_encode(bytes(signature))}"


# --------------------------------------------------------------------------- decoding


def _check_algorithm(alg: Any, allowed: Collection[str]) -> str:
    if not isinstance(alg, str) or not alg:
        raise _fail("the JWT header has no 'alg'", "jwt_alg_missing")
    if alg.lower() == "none":
        raise _fail("unsigned JWTs (alg 'none') are refused", "jwt_alg_none")
    if alg.upper().startswith("HS"):
        raise _fail(
            f"HMAC algorithms ({alg}) are refused: a credential must be signed with a "
            "public-key algorithm",
            "jwt_alg_hmac",
            alg=alg,
        )
    if alg not in allowed:
        raise _fail(
            f"JWT algorithm {alg!r} is not allowed; allowed: {', '.join(sorted(allowed))}",
            "jwt_alg_not_allowed",
            alg=alg,
        )
    return alg


def _check_header(header: dict[str, Any], allowed: Collection[str]) -> str:
    alg = _check_algorithm(header.get("alg"), allowed)
    if "crit" in header:
        raise _fail(
            f"the JWT header marks extensions as critical (crit={header['crit']!r}); mcbadge "
            "understands none",
            "jwt_crit_unsupported",
        )
    if "typ" in header and header["typ"] != "JWT":
        raise _fail(
            f"JWT typ {header['typ']!r} is not allowed: OB3 §8.2 says typ, if present, MUST be "
            "'JWT'",
            "jwt_typ_not_allowed",
        )
    extra = sorted(set(header) - _HEADER_MEMBERS)
    if extra:
        raise _fail(
            f"JOSE header parameters {extra} are not allowed: OB3 §8.2 allows only alg, kid, "
            "jwk and typ",
            "jwt_header_not_allowed",
            members=extra,
        )
    if "kid" in header and "jwk" in header:
        raise _fail("the JWT header has both kid and jwk; OB3 wants exactly one", "jwt_kid_and_jwk")
    if "kid" in header and (not isinstance(header["kid"], str) or not header["kid"]):
        raise _fail("the JWT header kid must be a non-empty string", "jwt_kid_invalid")
    if "jwk" in header:
        jwk = header["jwk"]
        if not isinstance(jwk, dict):
            raise _fail("the JWT header jwk must be a JSON object", "jwt_jwk_invalid")
        private = sorted(PRIVATE_JWK_MEMBERS.intersection(jwk))
        if private:
            raise _fail(
                f"the JWT header jwk contains private key material ({', '.join(private)}); refused",
                "jwt_jwk_private",
                members=private,
            )
        if "alg" in jwk and jwk["alg"] != alg:
            raise _fail(
                f"the header jwk is for alg {jwk['alg']!r} but the token uses {alg!r}",
                "jwt_key_alg_mismatch",
            )
        try:
            PublicKey.from_jwk(jwk)
        except KeyFormatError as exc:
            raise _fail(
                f"the JWT header jwk is not usable: {exc.message}", "jwt_jwk_invalid"
            ) from exc
    return alg


def _allowed(algorithms: Collection[str]) -> frozenset[str]:
    chosen = frozenset(algorithms)
    unknown = sorted(chosen - set(SUPPORTED_ALGORITHMS))
    if unknown or not chosen:
        raise InvalidInputError(
            f"algorithms must be a non-empty subset of {', '.join(SUPPORTED_ALGORITHMS)}; "
            f"unsupported: {unknown}",
            code="invalid_input",
        )
    return chosen


def parse_credential_jwt(
    token: str, *, algorithms: Collection[str] = ALLOWED_ALGORITHMS
) -> JwtResult:
    """Parse and structurally check a VC-JWT **without** checking its signature.

    Use it to show or route a token; use :func:`decode_credential_jwt` to trust it. A token
    with neither ``kid`` nor ``jwk`` parses (the legacy 1EdTech example has none).

    Args:
        token: The compact JWS.
        algorithms: Accepted ``alg`` values (a subset of :data:`ALLOWED_ALGORITHMS`).

    Returns:
        A :class:`JwtResult` with ``verified=False`` and ``key=None``.

    Raises:
        VerificationError: malformed token (``jwt_malformed``), bad base64url
            (``jwt_bad_base64``) or JSON (``jwt_bad_json``, ``jwt_duplicate_member``), a header
            or payload that is not an object (``jwt_header_not_object``,
            ``jwt_payload_not_object``), a refused header (``jwt_alg_none``, ``jwt_alg_hmac``,
            ``jwt_alg_not_allowed``, ``jwt_alg_missing``, ``jwt_crit_unsupported``,
            ``jwt_typ_not_allowed``, ``jwt_header_not_allowed``, ``jwt_kid_and_jwk``,
            ``jwt_kid_invalid``, ``jwt_jwk_private``, ``jwt_jwk_invalid``,
            ``jwt_key_alg_mismatch``), or a payload that holds no credential
            (``jwt_payload_not_credential``).
        InvalidInputError: ``algorithms`` names an unsupported algorithm.

    Example:
        >>> parse_credential_jwt("not-a-token")
        Traceback (most recent call last):
        ...
        mcbadge.errors.VerificationError: a compact JWS has 3 dot-separated parts; got 1
    """
    allowed = _allowed(algorithms)
    if not isinstance(token, str):
        raise _fail(f"a JWT must be a string, got {type(token).__name__}", "jwt_malformed")
    parts = token.split(".")
    if len(parts) != 3:
        hint = " (5 parts is an encrypted JWE, which is not supported)" if len(parts) == 5 else ""
        raise _fail(
            f"a compact JWS has 3 dot-separated parts; got {len(parts)}{hint}", "jwt_malformed"
        )
    head_b64, payload_b64, signature_b64 = parts
    if not head_b64 or not payload_b64:
        raise _fail("the JWT header or payload part is empty", "jwt_malformed")
    header = _loads_strict(_b64_part(head_b64, "header"), "header")
    if not isinstance(header, dict):
        raise _fail("the JWT header is not a JSON object", "jwt_header_not_object")
    _check_header(header, allowed)
    if not signature_b64:
        raise _fail("the JWT has no signature", "jwt_malformed")
    signature = _b64_part(signature_b64, "signature")
    payload = _loads_strict(_b64_part(payload_b64, "payload"), "payload")
    if not isinstance(payload, dict):
        raise _fail("the JWT payload is not a JSON object", "jwt_payload_not_object")
    split = _split_payload(payload)
    if split is None:
        raise _fail(
            "the JWT payload is not a credential: it has neither @context (OB3 form) nor a "
            "vc claim (legacy form)",
            "jwt_payload_not_credential",
        )
    credential, legacy = split
    return JwtResult(
        header=header,
        payload=payload,
        credential=credential,
        legacy=legacy,
        kid=header.get("kid"),
        signing_input=f"{head_b64}.{payload_b64}".encode("ascii"),
        signature=signature,
    )


def decode_credential_jwt(
    token: str,
    *,
    key: PublicKey | None = None,
    key_resolver: KeyResolver | None = None,
    algorithms: Collection[str] = ALLOWED_ALGORITHMS,
) -> JwtResult:
    """Parse a VC-JWT and verify its signature.

    The key is, in this order: ``key`` when given; else, for a header ``kid``, the result of
    ``key_resolver(header)``; else the header ``jwk``. A header ``jwk`` only proves that
    *someone* signed: check ``result.key`` belongs to the issuer (``key_source`` says where
    it came from). Claims are not compared with the credential here: see
    :func:`check_jwt_claims`. Times (``nbf``/``exp`` against a clock) are the verifier's job.

    Args:
        token: The compact JWS.
        key: A known public key for this token; allows a header with neither kid nor jwk.
        key_resolver: Maps the header to a key, typically
            ``lambda h: resolver.resolve_verification_method(h["kid"]).public_key``.
        algorithms: Accepted ``alg`` values (a subset of :data:`ALLOWED_ALGORITHMS`).

    Returns:
        A :class:`JwtResult` with ``verified=True``.

    Raises:
        VerificationError: everything :func:`parse_credential_jwt` refuses, plus
            ``jwt_no_key_reference`` (neither kid nor jwk, and no ``key``),
            ``jwt_key_unresolved`` (a kid but no resolver, or the resolver failed),
            ``jwt_key_mismatch`` (``key`` differs from the header jwk),
            ``jwt_key_alg_mismatch`` (the key type does not fit ``alg``) and
            ``jwt_signature_invalid``.
        InvalidInputError: ``algorithms`` names an unsupported algorithm.

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> kp = KeyPair.generate("Ed25519")
        >>> token = sign_credential_jwt({"@context": [], "issuer": "https://hs.nl",
        ...     "validFrom": "2025-01-01T00:00:00Z"}, kp, embed_jwk=True)
        >>> decode_credential_jwt(token).key_source
        'jwk_header'
    """
    result = parse_credential_jwt(token, algorithms=algorithms)
    header = result.header
    alg = result.algorithm
    source: Literal["explicit", "resolver", "jwk_header"]
    if key is not None:
        if not isinstance(key, PublicKey):
            raise InvalidInputError("key must be a mcbadge.keys.PublicKey", code="invalid_input")
        if "jwk" in header and PublicKey.from_jwk(header["jwk"]) != key:
            raise _fail(
                "the token's header jwk is not the key given to verify it with",
                "jwt_key_mismatch",
            )
        verifying_key, source = key, "explicit"
    elif "kid" in header:
        if key_resolver is None:
            raise _fail(
                f"the JWT names its key by kid {header['kid']!r}; pass key_resolver=... (e.g. "
                "lambda h: Resolver(...).resolve_verification_method(h['kid']).public_key) "
                "or key=...",
                "jwt_key_unresolved",
                kid=header["kid"],
            )
        try:
            resolved = key_resolver(header)
        except Exception as exc:
            reason = exc.message if isinstance(exc, McBadgeError) else str(exc)
            raise _fail(
                f"cannot resolve the JWT key {header['kid']!r}: {reason}",
                "jwt_key_unresolved",
                kid=header["kid"],
            ) from exc
        if not isinstance(resolved, PublicKey):
            raise _fail(
                f"key_resolver returned {type(resolved).__name__}, not a PublicKey",
                "jwt_key_unresolved",
            )
        verifying_key, source = resolved, "resolver"
    elif "jwk" in header:
        verifying_key, source = PublicKey.from_jwk(header["jwk"]), "jwk_header"
    else:
        raise _fail(
            "the JWT header has neither kid nor jwk, so its key is unknown (OB3 §8.2 requires "
            "one of them); pass key=... if you know the issuer's public key",
            "jwt_no_key_reference",
        )
    if not verifying_key.supports_algorithm(alg):
        raise _fail(
            f"the JWT uses {alg}, which a {verifying_key.key_type} key cannot verify",
            "jwt_key_alg_mismatch",
        )
    try:
        verifying_key.verify(result.signing_input, result.signature, algorithm=alg)
    except VerificationError as exc:
        raise _fail(
            f"the JWT signature does not verify with the {verifying_key.key_type} key "
            f"({source.replace('_', ' ')})",
            "jwt_signature_invalid",
        ) from exc
    return replace(result, key=verifying_key, key_source=source, verified=True)

"""Compact JWS for the token formats that are not OB3 VC-JWTs (SD-JWT, KB-JWT, status lists).

:mod:`mcbadge.proofs.jwt` is the OB3 VC-JWT profile (a fixed header, the credential as payload).
SD-JWT VCs, key-binding JWTs and status list tokens have their own ``typ`` and header rules;
this module gives them one strict signer and one strict reader:

* :func:`sign_compact` signs ``header.payload`` with any :class:`~mcbadge.keys.Signer` and
  checks an external signer's signature before returning the token.
* :func:`parse_compact` reads a compact JWS strictly (no duplicate members, canonical base64url,
  JSON objects) and refuses ``alg: none``, HMAC and unknown algorithms, and ``crit``.
* :func:`verify_signature` checks the signature with a :class:`~mcbadge.keys.PublicKey`.

Every failure is a :class:`~mcbadge.errors.VerificationError` (reading) or
:class:`~mcbadge.errors.SigningError` (signing) with a stable code.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from mcbadge._internal.jsontext import JsonTextError
from mcbadge._internal.jsontext import loads_strict as _read_json
from mcbadge._internal.multibase import base64url_decode, base64url_encode
from mcbadge.errors import InvalidInputError, KeyFormatError, SigningError, VerificationError
from mcbadge.keys import SUPPORTED_ALGORITHMS, KeyPair, PublicKey, Signer

__all__ = [
    "ParsedJws",
    "b64_json",
    "json_bytes",
    "loads_strict",
    "parse_compact",
    "sign_compact",
    "verify_signature",
]


@dataclass(frozen=True)
class ParsedJws:
    """A compact JWS read by :func:`parse_compact` (signature not yet checked)."""

    header: dict[str, Any]
    payload: dict[str, Any]
    signing_input: bytes = field(repr=False)
    signature: bytes = field(repr=False)

    @property
    def algorithm(self) -> str:
        """The header ``alg``."""
        return str(self.header["alg"])


def json_bytes(value: Any) -> bytes:
    """Compact UTF-8 JSON (no NaN), the form mcbadge signs."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8"
    )


def b64_json(value: Any) -> str:
    """base64url (no padding) of :func:`json_bytes`."""
    return base64url_encode(json_bytes(value))


def loads_strict(data: bytes, what: str, code: str) -> Any:
    """Parse UTF-8 JSON with :func:`mcbadge._internal.jsontext.loads_strict` (duplicate
    members, NaN/Infinity, over-long integers, lone surrogates and deep nesting refused).

    Raises:
        VerificationError: with ``code`` when the bytes are not such JSON.
    """
    try:
        return _read_json(data)
    except JsonTextError as exc:
        if exc.kind == "duplicate":
            raise VerificationError(
                f"{what} has the member {exc.member!r} twice", code=code, member=exc.member
            ) from exc
        raise VerificationError(f"{what} is not valid JSON: {exc.reason}", code=code) from exc


def _check_alg(alg: Any, allowed: Collection[str], what: str) -> str:
    if not isinstance(alg, str) or not alg:
        raise VerificationError(f"the {what} header has no 'alg'", code="jwt_alg_missing")
    if alg.lower() == "none":
        raise VerificationError(f"an unsigned {what} (alg 'none') is refused", code="jwt_alg_none")
    if alg.upper().startswith("HS"):
        raise VerificationError(
            f"HMAC algorithms ({alg}) are refused for the {what}: it must be signed with a "
            "public-key algorithm",
            code="jwt_alg_hmac",
            alg=alg,
        )
    if alg not in allowed:
        raise VerificationError(
            f"the {what} algorithm {alg!r} is not allowed; allowed: {', '.join(sorted(allowed))}",
            code="jwt_alg_not_allowed",
            alg=alg,
        )
    return alg


def parse_compact(
    token: str,
    *,
    what: str,
    typ: Collection[str] | None,
    typ_code: str,
    algorithms: Collection[str] = SUPPORTED_ALGORITHMS,
) -> ParsedJws:
    """Read a compact JWS strictly, without checking the signature.

    Args:
        token: ``header.payload.signature``.
        what: A name for messages ("SD-JWT", "KB-JWT", "status list token").
        typ: The accepted header ``typ`` values (``None``: any or none).
        typ_code: The error code when ``typ`` is missing or another value.
        algorithms: Accepted ``alg`` values.

    Returns:
        The :class:`ParsedJws`.

    Raises:
        VerificationError: ``jwt_malformed``, ``jwt_bad_base64``, ``jwt_bad_json``,
            ``jwt_header_not_object``, ``jwt_payload_not_object``, ``jwt_alg_none``,
            ``jwt_alg_hmac``, ``jwt_alg_not_allowed``, ``jwt_alg_missing``,
            ``jwt_crit_unsupported`` or ``typ_code``.
    """
    if not isinstance(token, str):
        raise VerificationError(f"a {what} must be a string", code="jwt_malformed")
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise VerificationError(
            f"a {what} is a compact JWS of 3 non-empty dot-separated parts", code="jwt_malformed"
        )
    decoded: list[bytes] = []
    for part, name in zip(parts, ("header", "payload", "signature"), strict=True):
        try:
            decoded.append(base64url_decode(part))
        except InvalidInputError as exc:
            raise VerificationError(
                f"the {what} {name} is not base64url: {exc.message}", code="jwt_bad_base64"
            ) from exc
    header = loads_strict(decoded[0], f"the {what} header", "jwt_bad_json")
    if not isinstance(header, dict):
        raise VerificationError(
            f"the {what} header is not a JSON object", code="jwt_header_not_object"
        )
    _check_alg(header.get("alg"), algorithms, what)
    if "crit" in header:
        raise VerificationError(
            f"the {what} header marks extensions as critical; mcbadge understands none",
            code="jwt_crit_unsupported",
        )
    if typ is not None and header.get("typ") not in typ:
        raise VerificationError(
            f"the {what} header typ is {header.get('typ')!r}; expected "
            f"{' or '.join(repr(t) for t in typ)}",
            code=typ_code,
            typ=header.get("typ"),
        )
    payload = loads_strict(decoded[1], f"the {what} payload", "jwt_bad_json")
    if not isinstance(payload, dict):
        raise VerificationError(
            f"the {what} payload is not a JSON object", code="jwt_payload_not_object"
        )
    return ParsedJws(
        header=header,
        payload=payload,
        signing_input=f"{parts[0]}.{parts[1]}".encode("ascii"),
        signature=decoded[2],
    )


def verify_signature(parsed: ParsedJws, key: PublicKey, *, what: str, code: str) -> None:
    """Check the signature of a parsed JWS with ``key``.

    Raises:
        VerificationError: ``jwt_key_alg_mismatch`` (the key cannot do ``alg``) or ``code``
            (the signature does not verify).
    """
    alg = parsed.algorithm
    if not key.supports_algorithm(alg):
        raise VerificationError(
            f"the {what} uses {alg}, which a {key.key_type} key cannot verify",
            code="jwt_key_alg_mismatch",
        )
    try:
        key.verify(parsed.signing_input, parsed.signature, algorithm=alg)
    except (VerificationError, KeyFormatError) as exc:
        raise VerificationError(
            f"the {what} signature does not verify with the {key.key_type} key", code=code
        ) from exc


def sign_compact(header: Mapping[str, Any], payload: Mapping[str, Any], signer: Signer) -> str:
    """Sign ``payload`` under ``header`` (whose ``alg`` is set from the signer).

    Args:
        header: The JOSE header members besides ``alg`` (``typ``, ``kid``, ``jwk``…).
        payload: The JSON payload.
        signer: Any :class:`~mcbadge.keys.Signer`.

    Returns:
        The compact JWS.

    Raises:
        SigningError: an unsupported algorithm, a payload that is not JSON, or a signer whose
            signature does not verify with its own public key.
    """
    algorithm = signer.algorithm
    if algorithm not in SUPPORTED_ALGORITHMS:
        raise SigningError(
            f"the signer's algorithm {algorithm!r} is not allowed; use one of "
            f"{', '.join(SUPPORTED_ALGORITHMS)}",
            code="jwt_alg_not_allowed",
        )
    full = {"alg": algorithm, **{k: v for k, v in header.items() if k != "alg"}}
    try:
        signing_input = f"{b64_json(full)}.{b64_json(dict(payload))}"
    except (TypeError, ValueError) as exc:
        raise SigningError(
            f"the token cannot be serialized as JSON: {exc}", code="jwt_invalid_payload"
        ) from exc
    data = signing_input.encode("ascii")
    try:
        signature = signer.sign(data)
    except SigningError:
        raise
    except Exception as exc:
        raise SigningError(f"the signer failed: {exc}", code="jwt_signer_failed") from exc
    if not isinstance(signature, bytes | bytearray):
        raise SigningError("signer.sign() must return bytes", code="jwt_signer_failed")
    if type(signer) is not KeyPair:
        try:
            PublicKey.from_jwk(signer.public_jwk()).verify(
                data, bytes(signature), algorithm=algorithm
            )
        except (VerificationError, KeyFormatError) as exc:
            raise SigningError(
                "the signer's signature does not verify with its own public_jwk()",
                code="jwt_signer_failed",
            ) from exc
    return f"{signing_input}.{base64url_encode(bytes(signature))}"

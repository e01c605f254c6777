"""The SD-JWT format (RFC 9901 §4, §7.1): Disclosures, the parsed form and digest processing.

What issuing (:mod:`mcbadge.proofs.sdjwt`), presenting and checking key binding
(:mod:`mcbadge.proofs.sdjwt_kb`) and verifying all share, so that none of them imports another
that imports it back:

* :class:`Disclosure` — ``[salt, name, value]`` or ``[salt, value]``, made and read strictly;
* :func:`parse_sd_jwt` — split ``<JWT>~<Disclosure>~…~[<KB-JWT>]`` and read the issuer-signed
  JWT (no signature check);
* :func:`process_disclosures` — match Disclosures to digests and rebuild the claims, refusing
  every known attack with a :class:`~mcbadge.errors.SdJwtError` and a stable code;
* :func:`is_status_list_reference` — the shape of the ``status.status_list`` claim (IETF Token
  Status List), the one rule issuing and status checking both apply.

May import: :mod:`mcbadge.errors`, :mod:`mcbadge._internal`. Nothing else of mcbadge; the
public names are re-exported by :mod:`mcbadge.proofs.sdjwt`, the documented path.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeGuard

from mcbadge._internal.jws import ParsedJws, json_bytes, loads_strict, parse_compact
from mcbadge._internal.multibase import base64url_decode, base64url_encode
from mcbadge.errors import InvalidInputError, SdJwtError, SigningError

__all__ = [
    "SD_ALGORITHMS",
    "SD_JWT_VC_TYPES",
    "ClaimPath",
    "DisclosedClaim",
    "Disclosure",
    "ProcessedSdJwt",
    "SdJwt",
    "format_path",
    "is_status_list_reference",
    "looks_like_sd_jwt",
    "parse_sd_jwt",
    "process_disclosures",
]

ClaimPath = tuple[str | int | None, ...]
"""A claim's place, as in SD-JWT VC type metadata: a key (str), an array index (int) or every
element of an array (``None``): ``("credentialSubject", "result", None)``."""

SD_ALGORITHMS: Final[dict[str, Callable[[bytes], Any]]] = {
    "sha-256": hashlib.sha256,
    "sha-384": hashlib.sha384,
    "sha-512": hashlib.sha512,
}
"""The ``_sd_alg`` values accepted (IANA "Named Information Hash Algorithm" names)."""

SD_JWT_VC_TYPES: Final[tuple[str, ...]] = ("dc+sd-jwt", "vc+sd-jwt")
"""The ``typ`` of an SD-JWT VC (``vc+sd-jwt`` is the pre-2025 value, still accepted)."""

_SALT_BYTES: Final = 16
_MAX_DEPTH: Final = 64
_RESERVED: Final = ("_sd", "...")


def _fail(message: str, code: str, **details: Any) -> SdJwtError:
    return SdJwtError(message, code=code, **details)


def format_path(path: Sequence[str | int | None]) -> str:
    """Render a claim path for people: ``("result", 0)`` → ``result[0]``.

    Example:
        >>> format_path(("achievement", "alignment", 2, "targetName"))
        'achievement.alignment[2].targetName'
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part is None:
            out += "[*]"
        else:
            out += ("." if out else "") + part
    return out


def _digest(encoded: str, sd_alg: str) -> str:
    return base64url_encode(SD_ALGORITHMS[sd_alg](encoded.encode("ascii")).digest())


# --------------------------------------------------------------------------- disclosures


@dataclass(frozen=True)
class Disclosure:
    """One Disclosure: ``[salt, name, value]`` (object member) or ``[salt, value]`` (array element).

    Attributes:
        encoded: The base64url text exactly as it appears in the SD-JWT.
        salt: The salt.
        name: The claim name, ``None`` for an array element.
        value: The claim value (may itself hold digests).
    """

    encoded: str
    salt: str
    name: str | None
    value: Any

    @classmethod
    def create(cls, name: str | None, value: Any, *, salt: str | None = None) -> Disclosure:
        """Make a Disclosure with a fresh 128-bit salt.

        Raises:
            SigningError: the value is not JSON, or the name is reserved (``_sd``, ``...``).
        """
        if name is not None and name in _RESERVED:
            raise SigningError(
                f"{name!r} cannot be a selectively disclosable claim name (RFC 9901 §4.2.1)",
                code="sdjwt_reserved_claim_name",
            )
        salt = salt or base64url_encode(secrets.token_bytes(_SALT_BYTES))
        content: list[Any] = [salt, value] if name is None else [salt, name, value]
        try:
            encoded = base64url_encode(json_bytes(content))
        except (TypeError, ValueError) as exc:
            raise SigningError(f"a claim is not JSON: {exc}", code="sdjwt_claim_not_json") from exc
        return cls(encoded=encoded, salt=salt, name=name, value=value)

    @classmethod
    def decode(cls, encoded: str) -> Disclosure:
        """Read a Disclosure strictly.

        Raises:
            SdJwtError: ``sdjwt_disclosure_malformed`` — not base64url, not a JSON array, not 2
                or 3 elements, a salt or claim name that is not a string.
        """
        try:
            raw = base64url_decode(encoded)
        except InvalidInputError as exc:
            raise _fail(
                f"a Disclosure is not base64url: {exc.message}", "sdjwt_disclosure_malformed"
            ) from exc
        try:
            content = loads_strict(raw, "a Disclosure", "sdjwt_disclosure_malformed")
        except SdJwtError:
            raise
        except Exception as exc:  # VerificationError from loads_strict: re-code it
            raise _fail(str(exc), "sdjwt_disclosure_malformed") from exc
        if not isinstance(content, list) or len(content) not in (2, 3):
            raise _fail(
                "a Disclosure must be a JSON array of 2 (array element) or 3 (object member) "
                "elements",
                "sdjwt_disclosure_malformed",
            )
        if not isinstance(content[0], str):
            raise _fail("a Disclosure's salt must be a string", "sdjwt_disclosure_malformed")
        if len(content) == 2:
            return cls(encoded=encoded, salt=content[0], name=None, value=content[1])
        if not isinstance(content[1], str):
            raise _fail("a Disclosure's claim name must be a string", "sdjwt_disclosure_malformed")
        return cls(encoded=encoded, salt=content[0], name=content[1], value=content[2])


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class SdJwt:
    """An SD-JWT (or SD-JWT+KB) split into its parts; nothing verified yet.

    Attributes:
        jwt: The issuer-signed JWT (compact).
        jws: The parsed issuer-signed JWT (header, payload).
        disclosures: The Disclosures as they appear.
        kb_jwt: The Key Binding JWT, if any.
    """

    jwt: str
    jws: ParsedJws
    disclosures: tuple[str, ...]
    kb_jwt: str | None

    @property
    def header(self) -> dict[str, Any]:
        """The issuer-signed JWT's header."""
        return self.jws.header

    @property
    def payload(self) -> dict[str, Any]:
        """The issuer-signed JWT's payload (with digests, before processing)."""
        return self.jws.payload

    @property
    def presentation_without_kb(self) -> str:
        """``<JWT>~<Disclosures>~``: the text a KB-JWT's ``sd_hash`` covers."""
        return "~".join([self.jwt, *self.disclosures, ""])

    @property
    def sd_alg(self) -> str:
        """The payload's ``_sd_alg`` (default ``sha-256``)."""
        value = self.payload.get("_sd_alg", "sha-256")
        return value if isinstance(value, str) else ""


def looks_like_sd_jwt(text: str) -> bool:
    """Whether ``text`` has the shape of an SD-JWT (a JWS, then ``~``)."""
    head, sep, _ = text.partition("~")
    return bool(sep) and head.count(".") == 2


def parse_sd_jwt(text: str, *, typ: Collection[str] | None = SD_JWT_VC_TYPES) -> SdJwt:
    """Split an SD-JWT and read its issuer-signed JWT strictly (the signature is not checked).

    Args:
        text: ``<JWT>~<Disclosure>~…~`` or ``…~<KB-JWT>``.
        typ: The accepted header ``typ`` values (``None``: any).

    Returns:
        The :class:`SdJwt`.

    Raises:
        SdJwtError: ``sdjwt_malformed`` (no ``~``, an empty Disclosure, a bad KB-JWT
            position), ``sdjwt_typ_invalid``, ``sdjwt_sd_alg_unsupported``, or the JWT's own
            codes (``jwt_alg_none``, ``jwt_alg_hmac``, ``jwt_malformed``…).
    """
    if not isinstance(text, str):
        raise _fail("an SD-JWT must be a string", "sdjwt_malformed")
    text = text.strip()
    parts = text.split("~")
    if len(parts) < 2:
        raise _fail(
            "an SD-JWT is <JWT>~<Disclosures>~ (with a ~ even when there is no Disclosure)",
            "sdjwt_malformed",
        )
    jwt, middle, last = parts[0], parts[1:-1], parts[-1]
    if any(not d for d in middle):
        raise _fail("an SD-JWT has an empty Disclosure (~~)", "sdjwt_malformed")
    try:
        jws = parse_compact(jwt, what="SD-JWT", typ=typ, typ_code="sdjwt_typ_invalid")
    except SdJwtError:
        raise
    except Exception as exc:
        code = getattr(exc, "code", "sdjwt_malformed")
        raise _fail(getattr(exc, "message", str(exc)), code) from exc
    sd_alg = jws.payload.get("_sd_alg", "sha-256")
    if sd_alg not in SD_ALGORITHMS:
        raise _fail(
            f"the SD-JWT uses _sd_alg {sd_alg!r}; supported: {', '.join(SD_ALGORITHMS)}",
            "sdjwt_sd_alg_unsupported",
        )
    kb_jwt = last or None
    if kb_jwt is not None and kb_jwt.count(".") != 2:
        raise _fail(
            "the SD-JWT's last part is neither empty (no key binding) nor a KB-JWT",
            "sdjwt_malformed",
        )
    return SdJwt(jwt=jwt, jws=jws, disclosures=tuple(middle), kb_jwt=kb_jwt)


# --------------------------------------------------------------------------- processing


@dataclass(frozen=True)
class DisclosedClaim:
    """A claim revealed by a Disclosure.

    Attributes:
        path: Where it is in the processed payload.
        disclosure: The Disclosure.
        parent: The digest of the Disclosure it sits in (``None`` at the JWT level).
        digest: This Disclosure's digest.
    """

    path: ClaimPath
    disclosure: Disclosure
    parent: str | None
    digest: str


@dataclass(frozen=True)
class ProcessedSdJwt:
    """The payload with every presented Disclosure put in its place (RFC 9901 §7.1).

    Attributes:
        claims: The processed payload, without ``_sd``, ``_sd_alg`` and ``...`` entries.
        disclosed: One entry per Disclosure, in presentation order.
    """

    claims: dict[str, Any]
    disclosed: tuple[DisclosedClaim, ...]

    @property
    def disclosed_paths(self) -> tuple[str, ...]:
        """The disclosed claims' paths as text (``credentialSubject.result[0]``)."""
        return tuple(format_path(d.path) for d in self.disclosed)


class _Processor:
    def __init__(self, by_digest: dict[str, Disclosure]) -> None:
        self.by_digest = by_digest
        self.seen: set[str] = set()
        self.found: list[DisclosedClaim] = []

    def _claim_digest(self, digest: Any) -> Disclosure | None:
        if not isinstance(digest, str):
            raise _fail("a digest must be a string", "sdjwt_sd_malformed")
        if digest in self.seen:
            raise _fail(
                f"the digest {digest} appears more than once in the SD-JWT (RFC 9901 §7.1)",
                "sdjwt_digest_duplicate",
                digest=digest,
            )
        self.seen.add(digest)
        return self.by_digest.get(digest)

    def value(self, value: Any, path: ClaimPath, parent: str | None, depth: int) -> Any:
        if depth > _MAX_DEPTH:
            raise _fail("the SD-JWT payload nests too deeply", "sdjwt_too_deep")
        if isinstance(value, dict):
            return self.obj(value, path, parent, depth)
        if isinstance(value, list):
            return self.array(value, path, parent, depth)
        return value

    def obj(self, value: dict[str, Any], path: ClaimPath, parent: str | None, depth: int) -> Any:
        if "..." in value:
            raise _fail(
                f"an object at {format_path(path) or 'the top level'} has a '...' member: '...' "
                "is allowed only as the single key of an array element",
                "sdjwt_ellipsis_in_object",
            )
        out: dict[str, Any] = {}
        for name, child in value.items():
            if name == "_sd" or (name == "_sd_alg" and not path):
                continue
            out[name] = self.value(child, (*path, name), parent, depth + 1)
        digests = value.get("_sd", [])
        if not isinstance(digests, list):
            raise _fail("_sd must be an array of digests", "sdjwt_sd_malformed")
        for digest in digests:
            disclosure = self._claim_digest(digest)
            if disclosure is None:
                continue  # a decoy, or a claim the holder did not disclose
            if disclosure.name is None:
                raise _fail(
                    "an array-element Disclosure (2 elements) is referenced from an object's _sd",
                    "sdjwt_disclosure_wrong_kind",
                )
            if disclosure.name in _RESERVED:
                raise _fail(
                    f"a Disclosure uses the reserved claim name {disclosure.name!r}",
                    "sdjwt_reserved_claim_name",
                )
            if disclosure.name in out or disclosure.name in value:
                raise _fail(
                    f"the Disclosure for {disclosure.name!r} collides with a claim of that name "
                    f"already in {format_path(path) or 'the payload'}",
                    "sdjwt_claim_collision",
                    claim=disclosure.name,
                )
            claim_path = (*path, disclosure.name)
            self.found.append(DisclosedClaim(claim_path, disclosure, parent, digest))
            out[disclosure.name] = self.value(disclosure.value, claim_path, digest, depth + 1)
        return out

    def array(self, value: list[Any], path: ClaimPath, parent: str | None, depth: int) -> Any:
        out: list[Any] = []
        for child in value:
            if isinstance(child, dict) and "..." in child:
                if len(child) != 1:
                    raise _fail(
                        "an array element with '...' must have no other member",
                        "sdjwt_array_element_malformed",
                    )
                digest = child["..."]
                disclosure = self._claim_digest(digest)
                if disclosure is None:
                    continue
                if disclosure.name is not None:
                    raise _fail(
                        "an object-member Disclosure (3 elements) is referenced as an array "
                        "element",
                        "sdjwt_disclosure_wrong_kind",
                    )
                element_path = (*path, len(out))
                self.found.append(DisclosedClaim(element_path, disclosure, parent, digest))
                out.append(self.value(disclosure.value, element_path, digest, depth + 1))
            else:
                out.append(self.value(child, (*path, len(out)), parent, depth + 1))
        return out


def process_disclosures(sd_jwt: SdJwt) -> ProcessedSdJwt:
    """Put the presented Disclosures into the payload, refusing every malformed arrangement.

    Args:
        sd_jwt: The parsed SD-JWT (its signature should be checked first).

    Returns:
        The :class:`ProcessedSdJwt`.

    Raises:
        SdJwtError: ``sdjwt_disclosure_malformed``, ``sdjwt_disclosure_duplicate`` (the same
            Disclosure twice), ``sdjwt_digest_duplicate`` (a digest referenced twice),
            ``sdjwt_reserved_claim_name`` (``_sd`` or ``...`` as a disclosed name),
            ``sdjwt_ellipsis_in_object``, ``sdjwt_array_element_malformed``,
            ``sdjwt_sd_malformed``, ``sdjwt_disclosure_wrong_kind``,
            ``sdjwt_claim_collision``, ``sdjwt_disclosure_unreferenced``.
    """
    sd_alg = sd_jwt.sd_alg
    by_digest: dict[str, Disclosure] = {}
    for encoded in sd_jwt.disclosures:
        disclosure = Disclosure.decode(encoded)
        digest = _digest(encoded, sd_alg)
        if digest in by_digest:
            raise _fail("the same Disclosure is presented twice", "sdjwt_disclosure_duplicate")
        by_digest[digest] = disclosure
    processor = _Processor(by_digest)
    claims = processor.obj(dict(sd_jwt.payload), (), None, 0)
    used = {d.digest for d in processor.found}
    unused = [d for digest, d in by_digest.items() if digest not in used]
    if unused:
        names = ", ".join(
            repr(d.name) if d.name is not None else "an array element" for d in unused
        )
        raise _fail(
            f"{len(unused)} Disclosure(s) ({names}) are not referenced by any digest in the "
            "SD-JWT (RFC 9901 §7.1 step 5)",
            "sdjwt_disclosure_unreferenced",
        )
    order = {encoded: i for i, encoded in enumerate(sd_jwt.disclosures)}
    found = sorted(processor.found, key=lambda d: order[d.disclosure.encoded])
    return ProcessedSdJwt(claims=claims, disclosed=tuple(found))


def is_status_list_reference(ref: Any) -> TypeGuard[Mapping[str, Any]]:
    """Whether ``ref`` is a Token Status List reference: ``{"idx": <int >= 0>, "uri": <URI>}``.

    The ``status_list`` member of an SD-JWT VC's ``status`` claim (IETF Token Status List §6.1:
    ``idx`` a non-negative integer, ``uri`` a non-empty string).
    """
    if not isinstance(ref, Mapping):
        return False
    idx, uri = ref.get("idx"), ref.get("uri")
    return (
        isinstance(idx, int)
        and not isinstance(idx, bool)
        and idx >= 0
        and isinstance(uri, str)
        and bool(uri)
    )

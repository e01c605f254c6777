"""DIDs and verification methods: did:key and did:jwk offline; did:web and HTTPS key URLs opt-in.

Offline by default: :func:`resolve_did_key` and :func:`resolve_did_jwk` need no network, and
:class:`Resolver` only fetches anything (a did:web ``did.json``, an HTTPS controller document
or JWKS) when it is built with ``allow_network=True``. Network fetches are HTTPS only, with a
timeout, a size cap and a redirect limit. Issuers build the ``did.json`` to host with
:func:`did_web_document`.

Example:
    >>> from mcbadge.keys import KeyPair
    >>> key = KeyPair.from_seed(bytes(32))
    >>> vm = Resolver().resolve_verification_method(key.did_key_verification_method)
    >>> vm.type, vm.public_key == key.public_key, "assertionMethod" in vm.relationships
    ('Multikey', True, True)
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import quote, unquote, urldefrag, urlsplit

import httpx

from mcbadge._internal.jsontext import JsonTextError, loads_strict
from mcbadge._internal.multibase import (
    base58btc_decode,
    base58btc_encode,
    base64url_decode,
    base64url_encode,
)
from mcbadge._internal.urls import literal_ip, normalized_origin_path, url_problem
from mcbadge.errors import InvalidInputError, KeyFormatError, ResolutionError
from mcbadge.keys import PublicKey, Signer
from mcbadge.net import FetchError, FetchErrorKind, NetworkPolicy, fetch

__all__ = [
    "DID_CONTEXT",
    "JWS_2020_CONTEXT",
    "JWK_CONTEXT",
    "MULTIKEY_CONTEXT",
    "VERIFICATION_RELATIONSHIPS",
    "DidDocument",
    "Resolver",
    "VerificationMethod",
    "did_jwk",
    "did_web",
    "did_web_document",
    "did_web_url",
    "parse_controller_document",
    "resolve_did_jwk",
    "resolve_did_key",
]

DID_CONTEXT: Final = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT: Final = "https://w3id.org/security/multikey/v1"
JWS_2020_CONTEXT: Final = "https://w3id.org/security/suites/jws-2020/v1"
JWK_CONTEXT: Final = "https://w3id.org/security/jwk/v1"

VERIFICATION_RELATIONSHIPS: Final[tuple[str, ...]] = (
    "authentication",
    "assertionMethod",
    "capabilityInvocation",
    "capabilityDelegation",
    "keyAgreement",
)
"""The DID Core verification relationships."""

_SIGNING_RELATIONSHIPS = (
    "authentication",
    "assertionMethod",
    "capabilityInvocation",
    "capabilityDelegation",
)
_ALL_RELATIONSHIPS = frozenset(VERIFICATION_RELATIONSHIPS)
# A verification method id is the document id followed by a fragment, path or query.
_VM_SEPARATORS = ("#", "/", "?")
_DEFAULT_MAX_BYTES = 256 * 1024
_DEFAULT_TIMEOUT = 5.0
_MAX_REDIRECTS = 3
_FETCH_CODES: dict[FetchErrorKind, str] = {
    "insecure_url": "resolution_insecure_url",
    "address_refused": "resolution_address_refused",
    "deadline": "resolution_timeout",
    "too_large": "resolution_too_large",
    "redirects": "resolution_too_many_redirects",
    "status": "resolution_http_status",
    "http": "resolution_http_error",
}
_ACCEPT = "application/did+json, application/did+ld+json, application/json;q=0.9"
_DID_WEB_HOST_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?")
_DID_WEB_SEGMENT_RE = re.compile(r"(?:[A-Za-z0-9._~!$&'()*+,;=@-]|%[0-9A-Fa-f]{2})+")


def _err(message: str, code: str = "resolution_failed", **details: Any) -> ResolutionError:
    return ResolutionError(message, code=code, **details)


# --------------------------------------------------------------------------- data types


@dataclass(frozen=True)
class VerificationMethod:
    """A resolved verification method: who controls it and the public key it carries.

    Attributes:
        id: The verification method URL (``did:key:z…#z…``, ``did:web:…#key-1``, ``https://…``).
        controller: The DID or URL of the controller document.
        type: ``Multikey``, ``JsonWebKey2020``, ``JsonWebKey``,
            ``Ed25519VerificationKey2020`` or ``Ed25519VerificationKey2018``.
        public_key: The key, ready to verify.
        relationships: The verification relationships of the controller document that list
            this method (``assertionMethod``…). Keys given explicitly to a :class:`Resolver`
            are trusted for all of them; a bare JWK or JWKS key URL has none.

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> vm = resolve_did_key(KeyPair.from_seed(bytes(32)).did_key).verification_methods[0]
        >>> vm.authorized_for("assertionMethod")
        True
    """

    id: str
    controller: str
    type: str
    public_key: PublicKey
    relationships: frozenset[str] = field(default_factory=frozenset)

    def authorized_for(self, relationship: str) -> bool:
        """Whether the controller lists this method under ``relationship``.

        Args:
            relationship: e.g. ``"assertionMethod"`` (the proof purpose of credentials).

        Returns:
            ``True`` when the relationship lists this method.
        """
        return relationship in self.relationships

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (Multikey or JWK, matching :attr:`type`).

        Example:
            >>> from mcbadge.keys import KeyPair
            >>> d = resolve_did_key(KeyPair.generate().did_key).verification_methods[0].to_dict()
            >>> sorted(d)
            ['controller', 'id', 'publicKeyMultibase', 'type']
        """
        out: dict[str, Any] = {"id": self.id, "type": self.type, "controller": self.controller}
        if self.type in ("JsonWebKey", "JsonWebKey2020"):
            out["publicKeyJwk"] = self.public_key.to_jwk()
        elif self.type == "Ed25519VerificationKey2018":
            out["publicKeyBase58"] = base58btc_encode(self.public_key.to_raw())
        else:
            out["publicKeyMultibase"] = self.public_key.to_multikey()
        return out


@dataclass(frozen=True)
class DidDocument:
    """A DID document (or controller document) with its usable verification methods.

    Attributes:
        id: The DID (or controller URL).
        verification_methods: Every verification method mcbadge can use, with its key.
        document: The JSON document as resolved (read-only use; :meth:`to_dict` copies).
        unsupported: Methods present but not usable here, mapped to the reason
            (e.g. a secp256k1 key).

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> doc = resolve_did_key(KeyPair.generate("P-256").did_key)
        >>> doc.assertion_method == (doc.verification_methods[0].id,)
        True
    """

    id: str
    verification_methods: tuple[VerificationMethod, ...]
    document: Mapping[str, Any]
    unsupported: Mapping[str, str] = field(default_factory=dict)

    @property
    def assertion_method(self) -> tuple[str, ...]:
        """Ids of the methods listed under ``assertionMethod`` (may sign credentials)."""
        return tuple(
            vm.id for vm in self.verification_methods if "assertionMethod" in vm.relationships
        )

    def verification_method(self, vm_id: str) -> VerificationMethod:
        """Return the verification method with id ``vm_id`` (absolute or ``#fragment``).

        Args:
            vm_id: The method's id.

        Returns:
            The verification method.

        Raises:
            ResolutionError: no such method here, or it uses an unsupported key.
        """
        wanted = self.id + vm_id if vm_id.startswith("#") else vm_id
        for vm in self.verification_methods:
            if vm.id == wanted:
                return vm
        if wanted in self.unsupported:
            raise _err(
                f"verification method {wanted!r} cannot be used: {self.unsupported[wanted]}",
                code="verification_method_unsupported",
            )
        raise _err(
            f"verification method {wanted!r} is not in the document of {self.id!r}",
            code="verification_method_not_found",
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a deep copy of the JSON document."""
        return copy.deepcopy(dict(self.document))


# --------------------------------------------------------------------------- helpers


def _loads_json(data: bytes | str, what: str) -> Any:
    try:
        return loads_strict(data)
    except JsonTextError as exc:
        raise _err(f"{what} is not valid JSON: {exc.reason}", code="resolution_bad_json") from exc


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _vm_public_key(vm: Mapping[str, Any]) -> tuple[str, PublicKey]:
    """Read the key of a verification method object; returns (type, key)."""
    vm_type = vm.get("type")
    if isinstance(vm_type, list) and len(vm_type) == 1:
        vm_type = vm_type[0]
    if not isinstance(vm_type, str):
        raise _err("verification method has no 'type'")
    try:
        if vm_type in ("Multikey", "Ed25519VerificationKey2020"):
            multibase = vm.get("publicKeyMultibase")
            if not isinstance(multibase, str):
                raise _err(f"{vm_type} verification method has no 'publicKeyMultibase'")
            key = PublicKey.from_multikey(multibase)
            if vm_type == "Ed25519VerificationKey2020" and key.key_type != "Ed25519":
                raise _err("Ed25519VerificationKey2020 does not hold an Ed25519 key")
            return vm_type, key
        if vm_type in ("JsonWebKey", "JsonWebKey2020"):
            jwk = vm.get("publicKeyJwk")
            if not isinstance(jwk, Mapping):
                raise _err(f"{vm_type} verification method has no 'publicKeyJwk' object")
            return vm_type, PublicKey.from_jwk(jwk)
        if vm_type == "Ed25519VerificationKey2018":
            b58 = vm.get("publicKeyBase58")
            if not isinstance(b58, str):
                raise _err("Ed25519VerificationKey2018 has no 'publicKeyBase58'")
            return vm_type, PublicKey.from_raw(
                base58btc_decode(b58, max_bytes=32), key_type="Ed25519"
            )
    except (KeyFormatError, InvalidInputError) as exc:
        raise _err(f"{vm_type} key material is invalid: {exc.message}", code="key_invalid") from exc
    raise _err(
        f"unsupported verification method type {vm_type!r}: supported are Multikey, "
        "JsonWebKey, JsonWebKey2020, Ed25519VerificationKey2020 and Ed25519VerificationKey2018",
        code="verification_method_unsupported",
    )


def parse_controller_document(
    document: Mapping[str, Any], *, expected_id: str | None = None
) -> DidDocument:
    """Read a DID document or controller document and check its verification methods.

    Every verification method id must be the document id followed by ``#``, ``/`` or ``?``
    (e.g. ``did:web:hs.nl#key-1``) and name the document as its ``controller``. Methods
    listed by id or embedded in the verification relationships (``assertionMethod``…) are
    recorded in each method's ``relationships``.

    Args:
        document: The JSON document.
        expected_id: The id the document must have (the DID or URL it was fetched for).

    Returns:
        The parsed document.

    Raises:
        ResolutionError: not an object, a wrong or missing ``id``, or an inconsistent
            verification method (id outside the document, wrong controller).

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> doc = did_web_document("hs.nl", KeyPair.generate())
        >>> parse_controller_document(doc, expected_id="did:web:hs.nl").assertion_method
        ('did:web:hs.nl#key-1',)
    """
    if not isinstance(document, Mapping):
        raise _err("the controller document is not a JSON object", code="resolution_bad_document")
    doc_id = document.get("id", expected_id)
    if not isinstance(doc_id, str) or not doc_id:
        raise _err("the controller document has no 'id'", code="resolution_bad_document")
    if expected_id is not None and doc_id != expected_id:
        raise _err(
            f"the document's id {doc_id!r} does not match {expected_id!r}",
            code="resolution_id_mismatch",
        )

    def absolute(value: str) -> str:
        return doc_id + value if value.startswith("#") else value

    candidates: list[Mapping[str, Any]] = []
    for entry in _as_list(document.get("verificationMethod")) + _as_list(document.get("publicKey")):
        if isinstance(entry, Mapping):
            candidates.append(entry)
    relationships: dict[str, set[str]] = {}
    for relationship in VERIFICATION_RELATIONSHIPS:
        for entry in _as_list(document.get(relationship)):
            if isinstance(entry, str):
                relationships.setdefault(absolute(entry), set()).add(relationship)
            elif isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
                candidates.append(entry)
                relationships.setdefault(absolute(entry["id"]), set()).add(relationship)

    methods: dict[str, VerificationMethod] = {}
    unsupported: dict[str, str] = {}
    for entry in candidates:
        raw_id = entry.get("id")
        if not isinstance(raw_id, str) or not raw_id:
            raise _err("a verification method has no 'id'", code="resolution_bad_document")
        vm_id = absolute(raw_id)
        if (
            not vm_id.startswith(doc_id)
            or vm_id[len(doc_id) : len(doc_id) + 1] not in _VM_SEPARATORS
        ):
            raise _err(
                f"verification method {vm_id!r} is not inside the document {doc_id!r}",
                code="verification_method_inconsistent",
            )
        controller = entry.get("controller", doc_id)
        if controller != doc_id:
            raise _err(
                f"verification method {vm_id!r} names controller {controller!r}, but the "
                f"document is {doc_id!r}",
                code="verification_method_inconsistent",
            )
        if vm_id in methods:
            continue
        try:
            vm_type, key = _vm_public_key(entry)
        except ResolutionError as exc:
            unsupported[vm_id] = exc.message
            continue
        methods[vm_id] = VerificationMethod(
            id=vm_id,
            controller=doc_id,
            type=vm_type,
            public_key=key,
            relationships=frozenset(relationships.get(vm_id, ())),
        )
    return DidDocument(
        id=doc_id,
        verification_methods=tuple(methods.values()),
        document=copy.deepcopy(dict(document)),
        unsupported=unsupported,
    )


def _split_did_url(did_url: str, method: str) -> tuple[str, str | None]:
    if not isinstance(did_url, str) or not did_url.startswith(f"did:{method}:"):
        raise _err(f"not a did:{method} DID: {did_url!r}", code="resolution_invalid_did")
    did, _, fragment = did_url.partition("#")
    if any(ch in did for ch in "/?") or any(ch.isspace() for ch in did_url):
        raise _err(
            f"did:{method} DID URLs with a path, query or whitespace are not supported: "
            f"{did_url!r}",
            code="resolution_invalid_did",
        )
    return did, (fragment if "#" in did_url else None)


# --------------------------------------------------------------------------- did:key


def resolve_did_key(did_or_did_url: str) -> DidDocument:
    """Resolve a did:key (Ed25519 ``z6Mk…`` or P-256 ``zDn…``) offline.

    The document has one ``Multikey`` verification method, id ``did:key:z…#z…``, listed
    under ``authentication``, ``assertionMethod``, ``capabilityInvocation`` and
    ``capabilityDelegation``.

    Args:
        did_or_did_url: ``did:key:z…`` or ``did:key:z…#z…``.

    Returns:
        The DID document.

    Raises:
        ResolutionError: not a did:key, an unsupported key type, bad encoding, or a fragment
            that is not the key itself.

    Example:
        >>> doc = resolve_did_key("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp")
        >>> doc.verification_methods[0].id.split("#")[1]
        'z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp'
    """
    did, fragment = _split_did_url(did_or_did_url, "key")
    multibase = did.removeprefix("did:key:")
    if fragment is not None and fragment != multibase:
        raise _err(
            f"did:key fragment {fragment!r} is not the key {multibase!r}",
            code="verification_method_not_found",
        )
    try:
        PublicKey.from_multikey(multibase)
    except KeyFormatError as exc:
        raise _err(
            f"invalid did:key {did!r}: {exc.message}", code="resolution_invalid_did"
        ) from exc
    vm_id = f"{did}#{multibase}"
    document: dict[str, Any] = {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": [
            {"id": vm_id, "type": "Multikey", "controller": did, "publicKeyMultibase": multibase}
        ],
    }
    for relationship in _SIGNING_RELATIONSHIPS:
        document[relationship] = [vm_id]
    return parse_controller_document(document, expected_id=did)


# --------------------------------------------------------------------------- did:jwk


def did_jwk(key: PublicKey | Signer) -> str:
    """Return the did:jwk DID of a public key (compact JSON with sorted members).

    Args:
        key: A :class:`PublicKey` or any :class:`Signer` (e.g. a :class:`KeyPair`).

    Returns:
        ``did:jwk:<base64url(JWK)>``.

    Raises:
        KeyFormatError: the signer's JWK is not a valid public key.

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> did_jwk(KeyPair.generate()).startswith("did:jwk:eyJ")
        True
    """
    public = key if isinstance(key, PublicKey) else PublicKey.from_jwk(key.public_jwk())
    text = json.dumps(public.to_jwk(), separators=(",", ":"), sort_keys=True)
    return "did:jwk:" + base64url_encode(text.encode("utf-8"))


def resolve_did_jwk(did_or_did_url: str) -> DidDocument:
    """Resolve a did:jwk offline (one ``JsonWebKey2020`` method with id ``did:jwk:…#0``).

    Follows the did:jwk method specification: the JWK must be public, and a JWK with
    ``"use": "enc"`` is refused because it cannot sign.

    Args:
        did_or_did_url: ``did:jwk:…`` or ``did:jwk:…#0``.

    Returns:
        The DID document.

    Raises:
        ResolutionError: bad base64url/JSON, private key material, an unsupported key, or a
            fragment other than ``0``.

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> resolve_did_jwk(did_jwk(KeyPair.generate())).verification_methods[0].id[-2:]
        '#0'
    """
    did, fragment = _split_did_url(did_or_did_url, "jwk")
    if fragment is not None and fragment != "0":
        raise _err(
            f"did:jwk has exactly one verification method, '#0', not {fragment!r}",
            code="verification_method_not_found",
        )
    encoded = did.removeprefix("did:jwk:")
    try:
        raw = base64url_decode(encoded)
    except InvalidInputError as exc:
        raise _err(f"invalid did:jwk: {exc.message}", code="resolution_invalid_did") from exc
    jwk = _loads_json(raw, "the did:jwk JWK")
    if not isinstance(jwk, dict):
        raise _err("the did:jwk value is not a JWK object", code="resolution_invalid_did")
    try:
        PublicKey.from_jwk(jwk)
    except KeyFormatError as exc:
        raise _err(f"did:jwk holds an unusable JWK: {exc.message}", code=exc.code) from exc
    vm_id = f"{did}#0"
    document: dict[str, Any] = {
        "@context": [DID_CONTEXT, JWS_2020_CONTEXT],
        "id": did,
        "verificationMethod": [
            {"id": vm_id, "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": jwk}
        ],
    }
    for relationship in _SIGNING_RELATIONSHIPS:
        document[relationship] = [vm_id]
    return parse_controller_document(document, expected_id=did)


# --------------------------------------------------------------------------- did:web


def did_web(domain: str, path: str | Iterable[str] | None = None) -> str:
    """Return the did:web DID for a domain (and optional path).

    A port is percent-encoded (``localhost:8443`` -> ``localhost%3A8443``); path segments
    are joined with ``:``.

    Args:
        domain: The host name, optionally with ``:port``. No IP addresses (did:web spec).
        path: ``"issuers/faculty-1"`` or ``["issuers", "faculty-1"]``.

    Returns:
        The DID.

    Raises:
        InvalidInputError: an invalid host or path segment.

    Example:
        >>> did_web("hs-voorbeeld.nl", "issuers/fdi")
        'did:web:hs-voorbeeld.nl:issuers:fdi'
        >>> did_web("localhost:8443")
        'did:web:localhost%3A8443'
    """
    if not isinstance(domain, str) or not _DID_WEB_HOST_RE.fullmatch(domain):
        raise InvalidInputError(f"invalid did:web domain {domain!r}", code="invalid_did_web")
    _refuse_ip(domain.rsplit(":", 1)[0] if ":" in domain else domain, InvalidInputError)
    segments: list[str] = []
    if path is not None:
        parts = path.strip("/").split("/") if isinstance(path, str) else list(path)
        for part in parts:
            if not isinstance(part, str) or not part or part in (".", ".."):
                raise InvalidInputError(
                    f"invalid did:web path segment {part!r}", code="invalid_did_web"
                )
            segments.append(quote(part, safe="-._~!$&'()*+,;=@"))
    return ":".join(["did:web", domain.lower().replace(":", "%3A"), *segments])


def _refuse_ip(host: str, error: type[InvalidInputError] | type[ResolutionError]) -> None:
    # literal_ip reads the spellings the C library takes for IPv4 too: 127.1, 2130706433,
    # 0x7f.1 (issue 10, F9: did:web:127.1 was served from 127.0.0.1)
    if literal_ip(host) is None:
        return
    raise error(f"did:web does not allow IP addresses ({host!r})", code="invalid_did_web")


def _https_url_under(url: str, base: str) -> bool:
    """Whether ``url`` is ``base`` or below it (same origin, path prefix), both normalized."""
    inner, outer = normalized_origin_path(url), normalized_origin_path(base)
    if inner is None or outer is None or inner[:3] != outer[:3]:
        return False
    prefix = outer[3].rstrip("/")
    return inner[3] == outer[3] or not prefix or inner[3].startswith(prefix + "/")


def did_web_url(did_or_did_url: str) -> str:
    """Return the HTTPS URL of the ``did.json`` of a did:web DID (did:web spec, Read).

    Args:
        did_or_did_url: ``did:web:example.nl``, ``did:web:example.nl%3A8443:user:alice``…
            A fragment is ignored.

    Returns:
        ``https://example.nl/.well-known/did.json`` or ``https://host[:port]/a/b/did.json``.

    Raises:
        ResolutionError: malformed DID, IP address host, or a path segment that decodes to
            ``/``, ``.``, ``..`` or control characters.

    Example:
        >>> did_web_url("did:web:example.com%3A3000:user:alice")
        'https://example.com:3000/user/alice/did.json'
    """
    did, _ = _split_did_url(did_or_did_url, "web")
    parts = did.removeprefix("did:web:").split(":")
    host = unquote(parts[0])
    if not _DID_WEB_HOST_RE.fullmatch(host):
        raise _err(f"invalid did:web host {host!r}", code="resolution_invalid_did")
    _refuse_ip(host.rsplit(":", 1)[0] if ":" in host else host, ResolutionError)
    if ":" in host and not 0 < int(host.rsplit(":", 1)[1]) < 65536:
        raise _err(f"invalid did:web port in {host!r}", code="resolution_invalid_did")
    segments: list[str] = []
    for raw in parts[1:]:
        if not _DID_WEB_SEGMENT_RE.fullmatch(raw):
            raise _err(f"invalid did:web path segment {raw!r}", code="resolution_invalid_did")
        decoded = unquote(raw)
        if (
            decoded in (".", "..")
            or "/" in decoded
            or "\\" in decoded
            or "%" in decoded  # double encoding: %252e would be a dot for a second decoder
            or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in decoded)
        ):
            raise _err(f"unsafe did:web path segment {raw!r}", code="resolution_invalid_did")
        segments.append(quote(decoded, safe="-._~!$&'()*+,;=@"))
    if segments:
        return f"https://{host.lower()}/{'/'.join(segments)}/did.json"
    return f"https://{host.lower()}/.well-known/did.json"


def did_web_document(
    domain: str,
    *keys: Signer | PublicKey,
    path: str | Iterable[str] | None = None,
) -> dict[str, Any]:
    """Build the ``did.json`` to host for a did:web issuer.

    Ed25519 and P-256 keys become ``Multikey`` methods; RSA keys ``JsonWebKey`` methods.
    A signer whose ``verification_method`` is already ``<this DID>#fragment`` keeps that
    id; other keys get ``#key-1``, ``#key-2``… in order. Every key is listed under
    ``assertionMethod`` (credentials) and ``authentication``.

    Args:
        domain: The host name, optionally with ``:port``.
        *keys: The issuer keys: :class:`KeyPair`, any :class:`Signer`, or :class:`PublicKey`.
        path: Optional path, e.g. ``"issuers/fdi"``.

    Returns:
        The DID document (a new dict, JSON-ready). Host it at :func:`did_web_url` of its id.

    Raises:
        InvalidInputError: no keys, an invalid domain or path, or a duplicate id.

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> did = did_web("hs-voorbeeld.nl")
        >>> key = KeyPair.generate().with_verification_method(did + "#key-1")
        >>> doc = did_web_document("hs-voorbeeld.nl", key)
        >>> doc["assertionMethod"]
        ['did:web:hs-voorbeeld.nl#key-1']
    """
    if not keys:
        raise InvalidInputError("did_web_document needs at least one key", code="invalid_input")
    did = did_web(domain, path)
    methods: list[dict[str, Any]] = []
    seen: set[str] = set()
    uses_jwk = uses_multikey = False
    for index, item in enumerate(keys, start=1):
        if isinstance(item, PublicKey):
            public, vm_hint = item, None
        else:
            public, vm_hint = PublicKey.from_jwk(item.public_jwk()), item.verification_method
        vm_id = vm_hint if vm_hint and vm_hint.startswith(did + "#") else f"{did}#key-{index}"
        if vm_id in seen:
            raise InvalidInputError(f"duplicate verification method id {vm_id!r}")
        seen.add(vm_id)
        method: dict[str, Any] = {"id": vm_id}
        if public.key_type == "RSA":
            method.update(type="JsonWebKey", controller=did, publicKeyJwk=public.to_jwk())
            uses_jwk = True
        else:
            method.update(type="Multikey", controller=did, publicKeyMultibase=public.to_multikey())
            uses_multikey = True
        methods.append(method)
    contexts: list[str] = [DID_CONTEXT]
    if uses_multikey:
        contexts.append(MULTIKEY_CONTEXT)
    if uses_jwk:
        contexts.append(JWK_CONTEXT)
    ids = [m["id"] for m in methods]
    return {
        "@context": contexts,
        "id": did,
        "verificationMethod": methods,
        "authentication": list(ids),
        "assertionMethod": list(ids),
    }


# --------------------------------------------------------------------------- Resolver


class Resolver:
    """Resolves verification method URLs to keys; offline unless told otherwise.

    Resolution order: the explicit ``keys`` mapping; did:key and did:jwk (offline); then,
    only with ``allow_network=True``, did:web (``did.json`` over HTTPS) and HTTPS URLs
    (a controller document containing the method, a single verification method or JWK, or a
    JWKS whose ``kid`` is the fragment). Fetched documents are cached per resolver.

    Args:
        allow_network: Permit HTTPS fetches (did:web, HTTPS key URLs). Default ``False``.
        http_client: The ``httpx.Client`` to use (tests inject ``httpx.MockTransport``);
            by default a short-lived client is made per fetch.
        timeout: Seconds one fetch may take in total (redirects and every read included).
        max_bytes: Largest document accepted.
        network: The deadline, redirect limit, allowed non-public addresses and TLS context
            of fetches (:class:`mcbadge.net.NetworkPolicy`); when given, ``timeout`` is not
            used. By default only public addresses are reached.
        keys: Trusted keys by verification method URL; they win over any resolution and are
            trusted for every verification relationship.

    Raises:
        InvalidInputError: a bad ``timeout``, ``max_bytes`` or ``keys`` entry.

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> key = KeyPair.generate("RSA")
        >>> resolver = Resolver(keys={"https://hs.nl/keys/1": key.public_key})
        >>> resolver.resolve_verification_method("https://hs.nl/keys/1").type
        'JsonWebKey'
    """

    def __init__(
        self,
        *,
        allow_network: bool = False,
        http_client: httpx.Client | None = None,
        timeout: float = _DEFAULT_TIMEOUT,
        max_bytes: int = _DEFAULT_MAX_BYTES,
        keys: Mapping[str, PublicKey] | None = None,
        network: NetworkPolicy | None = None,
    ) -> None:
        if not isinstance(timeout, int | float) or timeout <= 0:
            raise InvalidInputError("timeout must be a positive number of seconds")
        if not isinstance(max_bytes, int) or max_bytes <= 0:
            raise InvalidInputError("max_bytes must be a positive integer")
        trusted = dict(keys or {})
        for vm_url, key in trusted.items():
            if not isinstance(vm_url, str) or not isinstance(key, PublicKey):
                raise InvalidInputError(
                    "keys must map verification method URLs (str) to PublicKey objects"
                )
        self.allow_network = allow_network
        self.timeout = float(timeout)
        self.max_bytes = max_bytes
        self.network = network or NetworkPolicy(deadline=self.timeout, max_redirects=_MAX_REDIRECTS)
        self._http_client = http_client
        self._keys = trusted
        self._cache: dict[str, Any] = {}

    def resolve(self, did: str) -> DidDocument:
        """Resolve a DID to its document (did:key, did:jwk; did:web with network allowed).

        Args:
            did: The DID (a fragment is ignored).

        Returns:
            The DID document.

        Raises:
            ResolutionError: unsupported method, network not allowed, fetch or content error.

        Example:
            >>> Resolver().resolve("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp").id
            'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp'
        """
        if not isinstance(did, str):
            raise _err("a DID must be a string", code="resolution_invalid_did")
        base = did.partition("#")[0]
        if base.startswith("did:key:"):
            return resolve_did_key(base)
        if base.startswith("did:jwk:"):
            return resolve_did_jwk(base)
        if base.startswith("did:web:"):
            url = did_web_url(base)
            document = self._fetch_json(url, what=f"the DID document of {base}")
            return parse_controller_document(document, expected_id=base)
        method = base.split(":")[1] if base.startswith("did:") and base.count(":") >= 2 else None
        raise _err(
            f"unsupported DID method {method!r} in {did!r}: supported are did:key, did:jwk and "
            "did:web"
            if method
            else f"not a DID: {did!r}",
            code="resolution_unsupported_method" if method else "resolution_invalid_did",
        )

    def resolve_verification_method(self, vm_url: str) -> VerificationMethod:
        """Resolve a verification method URL (as in ``proof.verificationMethod`` or ``kid``).

        Args:
            vm_url: ``did:key:z…#z…``, ``did:jwk:…#0``, ``did:web:…#key-1``, or ``https://…``.

        Returns:
            The verification method with its public key.

        Raises:
            ResolutionError: unknown or inconsistent method, unsupported scheme, insecure URL,
                network not allowed (code ``network_not_allowed``), timeout, size cap, or a
                document that is not the expected JSON.

        Example:
            >>> vm = Resolver().resolve_verification_method(
            ...     "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv")
            >>> vm.public_key.key_type
            'P-256'
        """
        if not isinstance(vm_url, str) or not vm_url or any(ch.isspace() for ch in vm_url):
            raise _err(f"invalid verification method URL {vm_url!r}", code="resolution_invalid_url")
        trusted = self._keys.get(vm_url)
        if trusted is not None:
            base = urldefrag(vm_url)[0] if "#" in vm_url else vm_url
            return VerificationMethod(
                id=vm_url,
                controller=base,
                type="Multikey" if trusted.key_type != "RSA" else "JsonWebKey",
                public_key=trusted,
                relationships=_ALL_RELATIONSHIPS,
            )
        if vm_url.startswith("did:"):
            document = self.resolve(vm_url)
            if "#" in vm_url:
                return document.verification_method(vm_url)
            if len(document.verification_methods) == 1:
                return document.verification_methods[0]
            raise _err(
                f"{vm_url!r} names a DID with several keys; add the '#fragment' of the key",
                code="verification_method_not_found",
            )
        scheme = urlsplit(vm_url).scheme.lower()
        if scheme == "https":
            problem = url_problem(vm_url)
            if problem is not None:
                raise _err(
                    f"refusing the key URL {vm_url!r}: {problem}; the URL fetched would not "
                    "be the URL whose owner is checked",
                    code="resolution_unsafe_url",
                    url=vm_url,
                )
            return self._resolve_https(vm_url)
        if scheme == "http":
            raise _err(
                f"refusing the insecure http:// key URL {vm_url!r}: only HTTPS is allowed",
                code="resolution_insecure_url",
            )
        raise _err(
            f"cannot resolve {vm_url!r}: supported are did:key, did:jwk, did:web and https URLs"
            " (or pass the key in keys=)",
            code="resolution_unsupported_method",
        )

    # ---- HTTPS
    def _resolve_https(self, vm_url: str) -> VerificationMethod:
        base, fragment = urldefrag(vm_url)
        document = self._fetch_json(base, what=f"the key document {base}")
        if not isinstance(document, dict):
            raise _err(f"{base} did not return a JSON object", code="resolution_bad_document")
        if isinstance(document.get("keys"), list) and "kty" not in document:
            return self._from_jwks(vm_url, base, fragment, document["keys"])
        if not fragment:
            if "kty" in document:
                return self._from_jwk_document(vm_url, document)
            if document.get("id", vm_url) == vm_url and (
                "publicKeyMultibase" in document or "publicKeyJwk" in document
            ):
                vm_type, key = _vm_public_key(document)
                controller = document.get("controller", vm_url)
                if not isinstance(controller, str):
                    raise _err("the verification method's controller is not a string")
                if controller != vm_url and not _https_url_under(vm_url, controller):
                    # a lone key document's "controller" is only a claim (issue 10, F3: one
                    # tenant must not name another): the controller's document must list it
                    self._confirm_controller(vm_url, controller)
                return VerificationMethod(
                    id=vm_url, controller=controller, type=vm_type, public_key=key
                )
        parsed = parse_controller_document(document, expected_id=document.get("id", base))
        if parsed.id != base:
            raise _err(
                f"the document at {base} has id {parsed.id!r}; a verification method URL must "
                "start with the id of the document that holds it",
                code="resolution_id_mismatch",
            )
        return parsed.verification_method(vm_url)

    def _confirm_controller(self, vm_url: str, controller: str) -> None:
        """Check that ``controller``'s own document lists ``vm_url`` as one of its keys."""
        if controller.startswith("did:"):
            listed: Any = self.resolve(controller).document
        else:
            problem = url_problem(controller)
            if urlsplit(controller).scheme.lower() != "https" or problem is not None:
                raise _err(
                    f"the key document {vm_url} names the controller {controller!r}, which "
                    "cannot be checked",
                    code="verification_method_inconsistent",
                )
            listed = self._fetch_json(urldefrag(controller)[0], what=f"the controller {controller}")
        if not isinstance(listed, Mapping) or listed.get("id") != controller:
            raise _err(
                f"the document of the controller {controller!r} named by {vm_url} is not its "
                "controller document",
                code="verification_method_inconsistent",
            )
        for member in ("verificationMethod", *VERIFICATION_RELATIONSHIPS):
            for entry in _as_list(listed.get(member)):
                entry_id = entry.get("id") if isinstance(entry, Mapping) else entry
                if entry_id == vm_url:
                    return
        raise _err(
            f"the key document {vm_url} names the controller {controller!r}, whose document "
            "does not list that key",
            code="verification_method_inconsistent",
        )

    @staticmethod
    def _from_jwk_document(vm_url: str, jwk: Mapping[str, Any]) -> VerificationMethod:
        try:
            key = PublicKey.from_jwk(jwk)
        except KeyFormatError as exc:
            raise _err(f"{vm_url} holds an unusable JWK: {exc.message}", code=exc.code) from exc
        return VerificationMethod(id=vm_url, controller=vm_url, type="JsonWebKey", public_key=key)

    @staticmethod
    def _from_jwks(vm_url: str, base: str, fragment: str, keys: list[Any]) -> VerificationMethod:
        matches = [
            k
            for k in keys
            if isinstance(k, Mapping) and k.get("kid") in ({fragment, vm_url} - {""})
        ]
        if len(matches) != 1:
            raise _err(
                f"the JWKS at {base} has {len(matches)} keys with kid {fragment or vm_url!r}; "
                "exactly one is needed",
                code="verification_method_not_found",
            )
        vm = Resolver._from_jwk_document(vm_url, matches[0])
        return VerificationMethod(
            id=vm_url, controller=base, type=vm.type, public_key=vm.public_key
        )

    def _fetch_json(self, url: str, *, what: str) -> Any:
        if url in self._cache:
            return self._cache[url]
        if not self.allow_network:
            raise _err(
                f"resolving {what} needs network access ({url}), which is off by default: pass "
                "Resolver(allow_network=True), or give the key with Resolver(keys={vm_url: "
                "PublicKey})",
                code="network_not_allowed",
                url=url,
            )
        problem = url_problem(url)
        if problem is not None:  # every document URL, not only key URLs (issue 10, F3)
            raise _err(
                f"refusing to fetch {what} from {url!r}: {problem}",
                code="resolution_unsafe_url",
                url=url,
            )
        try:
            result = fetch(
                url,
                accept=_ACCEPT,
                max_bytes=self.max_bytes,
                policy=self.network,
                client=self._http_client,
            )
        except FetchError as exc:
            raise _err(
                f"fetching {what} failed: {exc.message}",
                code=_FETCH_CODES[exc.kind],
                url=exc.url,
                **({"status": exc.status} if exc.status is not None else {}),
            ) from exc
        media = result.content_type
        if media and not media.endswith("json") and media != "text/plain":
            raise _err(
                f"{result.url} answered with content type {media!r}, not JSON, for {what}",
                code="resolution_wrong_content",
                url=result.url,
            )
        document = _loads_json(result.body, f"{what} ({result.url})")
        self._cache[url] = document
        return document

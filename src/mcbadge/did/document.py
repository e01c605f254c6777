"""DID documents and verification methods: the data types and the strict reader.

:class:`DidDocument` and :class:`VerificationMethod` (with the relationships it is authorized
for), :func:`parse_controller_document` (a DID document or an HTTPS controller document, read
strictly: ids absolute and under the document, keys as Multikey or JWK), and the contexts
and relationship names of DID Core. Every refusal is a
:class:`~mcbadge.errors.ResolutionError` with a stable code.

May import: :mod:`mcbadge.errors`, :mod:`mcbadge._internal`, :mod:`mcbadge.keys`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from mcbadge._internal.jsontext import JsonTextError, loads_strict
from mcbadge._internal.multibase import (
    base58btc_decode,
    base58btc_encode,
)
from mcbadge.errors import InvalidInputError, KeyFormatError, ResolutionError
from mcbadge.keys import PublicKey

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


def _err(message: str, code: str = "resolution_failed", **details: Any) -> ResolutionError:
    return ResolutionError(message, code=code, **details)


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

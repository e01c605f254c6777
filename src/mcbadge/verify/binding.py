"""Key binding: a verification method or a JWK is accepted only when it belongs to the issuer
(did:key, did:jwk, did:web under the issuer, or a key the caller gives), and the issuer only
when trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urlsplit

from mcbadge._internal.urls import normalized_origin_path
from mcbadge.did import VerificationMethod
from mcbadge.errors import (
    McBadgeError,
)
from mcbadge.keys import PublicKey
from mcbadge.verify.builder import _Builder
from mcbadge.verify.options import _entry_key, _Options


def _implied_controller(vm_id: str) -> str:
    if vm_id.startswith("did:"):
        return re.split(r"[#?/]", vm_id, maxsplit=1)[0]
    return urldefrag(vm_id)[0]


def _url_under(vm_id: str, issuer_id: str) -> bool:
    """Whether an HTTPS key URL lives under the issuer's HTTPS id (same origin, path below).

    Both URLs are compared as a fetch sees them (scheme and host lower-cased, the default
    port explicit); a URL with dot segments or encoded slashes is never under anything,
    because httpx would fetch another path than the one compared (issue 10, F3).
    """
    vm, issuer = normalized_origin_path(vm_id), normalized_origin_path(issuer_id)
    if vm is None or issuer is None:
        return False
    issuer_parts = urlsplit(issuer_id)
    if issuer_parts.query or issuer_parts.fragment or urlsplit(vm_id).query:
        return False
    if vm[:3] != issuer[:3]:
        return False
    base = issuer[3].rstrip("/")
    return vm[3] == issuer[3] or not base or vm[3].startswith(base + "/")


@dataclass(frozen=True)
class _Binding:
    ok: bool
    code: str | None
    message: str


def _bind_vm(vm_id: str, owner_id: str, opts: _Options, relationship: str) -> _Binding:
    entry = opts.keys.get(vm_id)
    if isinstance(entry, VerificationMethod):
        controller, authorized = entry.controller, entry.authorized_for(relationship)
        source = "given by the caller"
    elif entry is not None:
        controller, authorized = _implied_controller(vm_id), True
        source = "given by the caller"
    else:
        try:
            method = opts.resolver.resolve_verification_method(vm_id)
        except McBadgeError as exc:
            return _Binding(False, "verification_method_unresolved", exc.message)
        controller, authorized = method.controller, method.authorized_for(relationship)
        source = "resolved"
    if controller != owner_id and not _url_under(vm_id, owner_id):
        return _Binding(
            False,
            "issuer_key_mismatch",
            f"{vm_id} is controlled by {controller}, not by {owner_id}",
        )
    if not authorized:
        return _Binding(
            False,
            "verification_method_not_authorized",
            f"{controller} does not list {vm_id} under {relationship}",
        )
    how = "controlled by it" if controller == owner_id else "a key URL under its id"
    return _Binding(True, None, f"{vm_id} ({how}, key {source})")


def _bind_jwk(key: PublicKey, issuer_id: str, opts: _Options) -> _Binding:
    if issuer_id.startswith(("did:key:", "did:jwk:")):
        try:
            document = opts.resolver.resolve(issuer_id)
        except McBadgeError as exc:
            return _Binding(False, "verification_method_unresolved", exc.message)
        for method in document.verification_methods:
            if method.public_key == key and method.authorized_for("assertionMethod"):
                return _Binding(True, None, f"the header jwk is the key of {issuer_id}")
    for vm_id, entry in opts.keys.items():
        if _entry_key(entry) == key and _bind_vm(vm_id, issuer_id, opts, "assertionMethod").ok:
            return _Binding(True, None, f"the header jwk is the caller's trusted key {vm_id}")
    return _Binding(
        False,
        "issuer_key_mismatch",
        "the JWT carries its own key (jwk header), which is not shown to be the issuer's: the "
        f"issuer {issuer_id} is not the did:jwk/did:key of that key, and no key given with "
        "keys= for the issuer matches it",
    )


def _check_trusted(b: _Builder, issuer_id: str | None, opts: _Options) -> None:
    if opts.trusted_issuers is None:
        b.skipped("trusted_issuer", "no trusted issuer list given", reason_code="not_requested")
    elif issuer_id is not None and issuer_id in opts.trusted_issuers:
        b.passed("trusted_issuer", f"{issuer_id} is a trusted issuer")
    else:
        b.failed(
            "trusted_issuer",
            "issuer_not_trusted",
            f"the issuer {issuer_id} is not in the trusted issuer list",
        )

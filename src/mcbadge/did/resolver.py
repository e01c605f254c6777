"""The :class:`Resolver`: from a DID or a key URL to the verification method that signed.

``did:key`` and ``did:jwk`` resolve offline; ``did:web`` documents, HTTPS controller
documents and JWKS are fetched only when the resolver is built with ``allow_network=True``,
through :func:`mcbadge.net.fetch` (HTTPS only, a deadline, a size cap, a redirect limit, no
private addresses), and a key found at a URL must be confirmed by its controller.

May import: the modules of this package, :mod:`mcbadge.net`, :mod:`mcbadge.keys`,
:mod:`mcbadge.errors`, :mod:`mcbadge._internal`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urldefrag, urlsplit

import httpx

from mcbadge._internal.urls import url_problem
from mcbadge.did.did_jwk import resolve_did_jwk
from mcbadge.did.did_key import resolve_did_key
from mcbadge.did.did_web import _https_url_under, did_web_url
from mcbadge.did.document import (
    _ALL_RELATIONSHIPS,
    VERIFICATION_RELATIONSHIPS,
    DidDocument,
    VerificationMethod,
    _as_list,
    _err,
    _loads_json,
    _vm_public_key,
    parse_controller_document,
)
from mcbadge.errors import InvalidInputError, KeyFormatError
from mcbadge.keys import PublicKey
from mcbadge.net import FetchError, FetchErrorKind, NetworkPolicy, fetch

__all__ = ["Resolver"]


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

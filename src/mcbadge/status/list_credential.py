"""Verifying a fetched ``BitstringStatusListCredential``: its proof, its key, its content.

A status list is trusted only when it is signed by its issuer: a Data Integrity proof
(:func:`mcbadge.proofs.verify_proofs`, ``assertionMethod``) or a VC-JWT (strict decoding, the
claims checked against the credential), with a key that belongs to the list's issuer (a
trusted key by id, a key its controller lists, or a ``did:key`` that is the issuer). Then the
list must name the URL it was fetched from, carry a ``BitstringStatusList`` subject with its
purposes, ``encodedList`` and ``ttl``, and its validity window is read (a VC-JWT's
``nbf``/``exp`` narrow it). Every refusal is a :class:`~mcbadge.errors.StatusListError` with a
stable code. :class:`~mcbadge.status.StatusChecker` fetches, caches and reads the bit.

May import: :mod:`mcbadge.status.bitstring`, :mod:`mcbadge.status.constants`,
:mod:`mcbadge.status.lists`, :mod:`mcbadge.proofs` (inside the functions that verify, as the
checker did), :mod:`mcbadge.errors`; the resolver and keys types for type checking only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from mcbadge.errors import McBadgeError, NonCompactJsonLdError, StatusListError
from mcbadge.status.bitstring import BitstringStatusList
from mcbadge.status.constants import (
    _DEFAULT_TTL_MS,
    BITSTRING_CREDENTIAL_TYPE,
    BITSTRING_SUBJECT_TYPE,
    _error,
)
from mcbadge.status.lists import _issuer_id, _key_belongs_to, _optional_date, _ParsedList

if TYPE_CHECKING:
    from mcbadge.did import Resolver
    from mcbadge.keys import PublicKey

_JWS_RE: Final = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*", re.ASCII)
_ENVELOPED_JWT_PREFIX: Final = "data:application/vc+jwt,"


def _verified_list(
    document: Any, url: str, *, resolver: Resolver, keys: Mapping[str, PublicKey]
) -> _ParsedList:
    """Verify a fetched ``BitstringStatusListCredential`` and read what the checker needs.

    The proof (Data Integrity or VC-JWT, see :func:`_verified_credential`), the list's ``id``
    (it must be the URL it was fetched from), the subject's type, purposes, ``encodedList`` and
    ``ttl``, and the validity window (a VC-JWT's ``nbf``/``exp`` narrow it).

    Raises:
        StatusListError: any refusal, with a stable code.
    """
    credential, jwt_payload = _verified_credential(document, url, resolver=resolver, keys=keys)
    types = credential.get("type")
    if not isinstance(types, list) or BITSTRING_CREDENTIAL_TYPE not in types:
        raise _error(
            f"the document at {url} is not a {BITSTRING_CREDENTIAL_TYPE} (type {types!r})",
            "status_list_malformed",
            url=url,
        )
    list_id = credential.get("id")
    if list_id != url:
        # without an id, a signed list could be served for any URL of its issuer (F2)
        found = "no id" if list_id is None else f"id {list_id!r}"
        raise _error(
            f"the status list credential fetched from {url} has {found}: a status list "
            "must name the URL it is published at, and a list published for another URL "
            "is not accepted",
            "status_list_id_mismatch",
            url=url,
        )
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    if not isinstance(subject, Mapping):
        raise _error(
            f"the status list {url} has no credentialSubject object", "status_list_malformed"
        )
    subject_type = subject.get("type")
    subject_types = subject_type if isinstance(subject_type, list) else [subject_type]
    if BITSTRING_SUBJECT_TYPE not in subject_types:
        raise _error(
            f"the status list {url} credentialSubject.type must be "
            f"{BITSTRING_SUBJECT_TYPE!r}, got {subject_type!r}",
            "status_list_malformed",
            url=url,
        )
    raw_purposes = subject.get("statusPurpose")
    purposes = raw_purposes if isinstance(raw_purposes, list) else [raw_purposes]
    if not purposes or not all(isinstance(p, str) and p for p in purposes):
        raise _error(
            f"the status list {url} credentialSubject.statusPurpose must be one or more strings",
            "status_list_malformed",
            url=url,
        )
    encoded = subject.get("encodedList")
    if not isinstance(encoded, str):
        raise _error(
            f"the status list {url} has no credentialSubject.encodedList string",
            "status_list_malformed",
            url=url,
        )
    ttl_ms = subject.get("ttl", _DEFAULT_TTL_MS)
    if not isinstance(ttl_ms, int | float) or isinstance(ttl_ms, bool) or ttl_ms < 0:
        raise _error(
            f"the status list {url} ttl must be a number of milliseconds",
            "status_list_malformed",
        )
    try:
        bits = BitstringStatusList.decode(encoded, min_entries=1).to_bytes()
    except StatusListError as exc:
        raise _error(f"the status list {url}: {exc.message}", exc.code, url=url) from exc
    valid_from = _optional_date(credential, "validFrom", url)
    valid_until = _optional_date(credential, "validUntil", url)
    if jwt_payload is not None:
        # a VC-JWT list is valid only inside its nbf/exp as well (issue 10, F2/F8)
        from mcbadge.proofs.jwt import claim_times

        nbf, exp = claim_times(jwt_payload)
        if nbf is not None and (valid_from is None or nbf > valid_from):
            valid_from = nbf
        if exp is not None and (valid_until is None or exp < valid_until):
            valid_until = exp
    return _ParsedList(
        issuer=_issuer_id(credential),
        purposes=tuple(str(p) for p in purposes),
        valid_from=valid_from,
        valid_until=valid_until,
        bits=bits,
        ttl_seconds=float(ttl_ms) / 1000.0,
    )


def _verified_credential(
    document: Any, url: str, *, resolver: Resolver, keys: Mapping[str, PublicKey]
) -> tuple[Mapping[str, Any], Mapping[str, Any] | None]:
    """Verify the list credential's proof (DI or VC-JWT) and its key's binding to issuer.

    Returns the credential and, for a VC-JWT, its payload (whose ``nbf``/``exp`` bound the
    list's validity too).
    """
    if isinstance(document, Mapping):
        types = document.get("type")
        if (
            isinstance(types, list | str)
            and "EnvelopedVerifiableCredential" in (types if isinstance(types, list) else [types])
            and isinstance(document.get("id"), str)
            and document["id"].startswith(_ENVELOPED_JWT_PREFIX)
        ):
            return _verify_jwt(
                document["id"][len(_ENVELOPED_JWT_PREFIX) :], url, resolver=resolver, keys=keys
            )
        return _verify_data_integrity(document, url, resolver=resolver, keys=keys), None
    if isinstance(document, str):
        return _verify_jwt(document, url, resolver=resolver, keys=keys)
    raise _error(
        f"the status list at {url} is neither a JSON object nor a VC-JWT",
        "status_list_malformed",
        url=url,
    )


def _verify_data_integrity(
    document: Mapping[str, Any], url: str, *, resolver: Resolver, keys: Mapping[str, PublicKey]
) -> Mapping[str, Any]:
    from mcbadge.proofs import verify_proofs

    if "proof" not in document:
        raise _error(
            f"the status list credential at {url} has no proof: an unsigned list cannot be trusted",
            "status_list_invalid_proof",
            url=url,
        )
    try:
        results = verify_proofs(
            document,
            resolver=resolver,
            expected_purpose="assertionMethod",
            key_lookup=keys.get if keys else None,
        )
    except McBadgeError as exc:
        raise _error(
            f"the status list credential at {url} cannot be verified: {exc.message}",
            "status_list_invalid_proof",
            url=url,
        ) from exc
    issuer = _issuer_id(document)
    if not results:
        raise _error(
            f"the status list credential at {url} has no proof",
            "status_list_invalid_proof",
            url=url,
        )
    for result in results:
        if not result.verified:
            reason = result.error.message if result.error is not None else "invalid"
            # a list written where the checks would not read what is signed (issue 10, F1)
            # keeps the code it has at signing and in verify()
            code = (
                result.error.code
                if isinstance(result.error, NonCompactJsonLdError)
                else "status_list_invalid_proof"
            )
            raise _error(
                f"a proof of the status list credential at {url} does not verify: {reason}",
                code,
                url=url,
            )
        vm = result.verification_method or ""
        if not _key_belongs_to(issuer, vm, result.controller):
            raise _error(
                f"the status list credential at {url} is signed with {vm!r}, which is not "
                f"a key of its issuer {issuer!r}",
                "status_list_invalid_proof",
                url=url,
            )
    return document


def _verify_jwt(
    token: str, url: str, *, resolver: Resolver, keys: Mapping[str, PublicKey]
) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    from mcbadge.proofs.jwt import check_jwt_claims, decode_credential_jwt

    token = token.strip()
    if not _JWS_RE.fullmatch(token):
        raise _error(
            f"the status list at {url} is neither JSON nor a compact JWS",
            "status_list_malformed",
            url=url,
        )
    resolved: dict[str, Any] = {}

    def key_for(header: Mapping[str, Any]) -> PublicKey:
        kid = str(header["kid"])
        trusted = keys.get(kid)
        if trusted is not None:
            resolved["vm"], resolved["controller"] = kid, None
            return trusted
        method = resolver.resolve_verification_method(kid)
        if not method.authorized_for("assertionMethod"):
            raise _error(
                f"{kid} is not an assertionMethod of its controller",
                "status_list_invalid_proof",
            )
        resolved["vm"], resolved["controller"] = kid, method.controller
        return method.public_key

    try:
        result = decode_credential_jwt(token, key_resolver=key_for)
    except McBadgeError as exc:
        raise _error(
            f"the status list VC-JWT at {url} does not verify: {exc.message}",
            "status_list_invalid_proof",
            url=url,
        ) from exc
    credential = result.credential
    issuer = _issuer_id(credential)
    if result.key_source == "jwk_header":
        # a bare header key proves nothing unless the issuer *is* that key
        try:
            bound = result.key is not None and issuer == result.key.did_key
        except McBadgeError:
            bound = False
        if not bound:
            raise _error(
                f"the status list VC-JWT at {url} names its key only by a header jwk, which "
                f"is not a key of its issuer {issuer!r}",
                "status_list_invalid_proof",
                url=url,
            )
    elif not _key_belongs_to(issuer, resolved.get("vm", ""), resolved.get("controller")):
        raise _error(
            f"the status list VC-JWT at {url} is signed with {resolved.get('vm')!r}, which is "
            f"not a key of its issuer {issuer!r}",
            "status_list_invalid_proof",
            url=url,
        )
    problems = check_jwt_claims(result.payload)
    if problems:
        raise _error(
            f"the status list VC-JWT at {url} has claims that disagree with it: "
            + "; ".join(p.message for p in problems),
            "status_list_invalid_proof",
            url=url,
        )
    return credential, result.payload

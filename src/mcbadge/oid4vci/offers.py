"""Credential offers: what an SIS makes for each learner, and the URI / QR code it hands over.

An offer (OpenID4VCI 1.0 §4.1) names the credential issuer, the credential configurations on
offer and a pre-authorized code grant, optionally with a transaction code the learner gets by
another channel::

    openid-credential-offer://?credential_offer=%7B%22credential_issuer%22%3A…%7D

The offer is passed by value; it holds no personal data (the credential stays in the
issuer's store until the wallet redeems the code). :func:`create_offer` writes an offer to a
store (the SIS side without a running service, and the service's ``POST /offers``);
:func:`issue_offer` does the same against a store or against a running service over HTTP.
Each offer redeems once and expires (default :data:`DEFAULT_OFFER_TTL`).
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

from mcbadge._internal.jsonobject import json_object_of
from mcbadge.errors import McBadgeError, Oid4vciError
from mcbadge.oid4vci.configurations import (
    CONFIGURATION_IDS,
    PRE_AUTHORIZED_GRANT,
    https_or_loopback,
    parse_formats,
)
from mcbadge.store.oid4vci import OfferRecord, secret_digest, store_time

if TYPE_CHECKING:
    from mcbadge.jsonld.loader import DocumentLoader
    from mcbadge.keys import Signer
    from mcbadge.model import AchievementCredential
    from mcbadge.store import Store

__all__ = [
    "DEFAULT_OFFER_TTL",
    "OFFER_SCHEME",
    "TX_CODE_LENGTH",
    "CredentialOffer",
    "check_offer_credential",
    "create_offer",
    "issue_offer",
    "offer_uri",
]

OFFER_SCHEME: Final = "openid-credential-offer://"
DEFAULT_OFFER_TTL: Final = timedelta(days=14)
"""How long an offer can be redeemed by default (long enough to mail it to a learner)."""
TX_CODE_LENGTH: Final = 6
_MAX_TTL: Final = timedelta(days=366)


@dataclass(frozen=True)
class CredentialOffer:
    """A credential offer ready to hand to a learner.

    Attributes:
        uri: ``openid-credential-offer://?credential_offer=…`` (for a QR code or a link).
        credential_offer: The offer object the URI carries.
        expires: When the pre-authorized code stops working (RFC 3339, UTC).
        tx_code: The transaction code the learner must type, when the offer has one
            (give it by another channel than the QR code: mail vs. SIS portal).
        offer_id: The store's id for the offer (not secret).
    """

    uri: str
    credential_offer: dict[str, Any]
    expires: str
    tx_code: str | None = None
    offer_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        """``{"uri", "expires", "tx_code"?}`` (the ``POST /offers`` answer).

        Example:
            >>> CredentialOffer(uri="u", credential_offer={}, expires="e").to_dict()
            {'uri': 'u', 'expires': 'e'}
        """
        out: dict[str, Any] = {"uri": self.uri, "expires": self.expires}
        if self.tx_code is not None:
            out["tx_code"] = self.tx_code
        return out

    def qr_png(self, *, scale: int = 6) -> bytes:
        """The offer URI as a QR code PNG."""
        from mcbadge._internal.qr import qr_png

        return qr_png(self.uri, scale=scale)

    def qr_svg(self, *, scale: int = 6) -> str:
        """The offer URI as a QR code SVG document."""
        from mcbadge._internal.qr import qr_svg

        return qr_svg(self.uri, scale=scale)


def offer_uri(credential_offer: Mapping[str, Any]) -> str:
    """The ``openid-credential-offer://`` URI carrying ``credential_offer`` by value.

    Example:
        >>> offer_uri({"a": 1})
        'openid-credential-offer://?credential_offer=%7B%22a%22%3A1%7D'
    """
    text = json.dumps(dict(credential_offer), separators=(",", ":"), ensure_ascii=False)
    return f"{OFFER_SCHEME}?credential_offer={quote(text, safe='')}"


def _as_dict(credential: Any) -> dict[str, Any]:
    mapping = json_object_of(credential)
    if mapping is None:
        raise Oid4vciError(
            "the credential to offer must be an unsigned OB3 credential (a JSON object)",
            code="offer_invalid",
            reason="credential_malformed",
        )
    copied: dict[str, Any] = json.loads(json.dumps(dict(mapping)))
    return copied


def _issuer_of(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) and issuer else None


def check_offer_credential(
    credential: Mapping[str, Any] | AchievementCredential,
    *,
    formats: Sequence[str],
    issuer_id: str | None = None,
    key: Signer | None = None,
    verification_method: str | None = None,
    loader: DocumentLoader | None = None,
) -> dict[str, Any]:
    """Refuse, at offer time, a credential that could not be signed at redemption.

    The credential must be unsigned, without ``credentialStatus`` (the issuer adds its own),
    with an issuer (``issuer_id`` when given), and pass the VC Data Model structure rules.
    With ``key``, every check ``issue()`` runs before signing runs too, for each format
    offered (the JSON-LD safe mode for ``ldp_vc``, the issuer binding, the OB3 schema…); the
    SD-JWT VC claim mapping is tried for ``dc+sd-jwt``.

    Returns:
        A copy of the credential as a dict.

    Raises:
        Oid4vciError: ``offer_invalid`` with the failing check's code in
            ``details["reason"]``.

    Example:
        >>> check_offer_credential(cred, formats=["ldp_vc"], key=key)  # doctest: +SKIP
    """
    document = _as_dict(credential)

    def refuse(message: str, reason: str, **details: Any) -> Oid4vciError:
        return Oid4vciError(message, code="offer_invalid", reason=reason, **details)

    if "proof" in document:
        raise refuse(
            "the credential to offer must be unsigned (it has a proof)", "credential_has_proof"
        )
    if "credentialStatus" in document:
        raise refuse(
            "the credential to offer must have no credentialStatus: the issuer adds its own "
            "status entry when the wallet redeems the offer",
            "credential_status_present",
        )
    given = _issuer_of(document)
    if given is None:
        raise refuse("the credential has no issuer id", "issuer_missing")
    if issuer_id is not None and given != issuer_id:
        raise refuse(
            f"the credential's issuer {given!r} is not this issuer ({issuer_id!r})",
            "issuer_mismatch",
        )
    from mcbadge.verify.vcdm import structure_problems

    problems = structure_problems(document)
    if problems:
        raise refuse(
            "the credential breaks the VC Data Model rules: "
            + "; ".join(p.message for p in problems[:5]),
            problems[0].code,
        )
    if key is not None:
        from mcbadge.verify.signing import signing_checks

        wanted: list[Any] = []
        if "ldp_vc" in formats:
            wanted.append("di")
        if "jwt_vc_json" in formats:
            wanted.append("jwt")
        for fmt in wanted:
            report = signing_checks(
                document,
                key,
                format=fmt,
                verification_method=verification_method,
                loader=loader if fmt == "di" else None,
            )
            failed = report.failed_checks
            if failed:
                first = failed[0]
                raise refuse(
                    f"the credential would not be signed ({first.id}): {first.message}",
                    first.error_code or "signing_refused",
                    check=first.id,
                )
    if "dc+sd-jwt" in formats:
        from mcbadge.proofs.sdjwt_vc import credential_claims

        try:
            credential_claims(document)
        except McBadgeError as exc:
            raise refuse(f"the credential cannot be an SD-JWT VC: {exc.message}", exc.code) from exc
    return document


def _ttl(expires_in: timedelta) -> timedelta:
    if not isinstance(expires_in, timedelta) or not (
        timedelta(seconds=1) <= expires_in <= _MAX_TTL
    ):
        raise Oid4vciError(
            "expires_in must be a timedelta between one second and a year",
            code="offer_invalid",
            reason="expires_in_invalid",
        )
    return expires_in


def _formats_for_key(chosen: tuple[str, ...], key: Signer | None, *, asked: bool) -> list[str]:
    """The formats ``key`` can sign: ``ldp_vc`` (eddsa-rdfc-2022) needs an Ed25519 key, and the
    issuer metadata lists it only then; by default it is left out, asked for it is refused."""
    if key is None or key.algorithm == "EdDSA" or "ldp_vc" not in chosen:
        return list(chosen)
    if asked:
        raise Oid4vciError(
            f"ldp_vc (eddsa-rdfc-2022) needs an Ed25519 issuer key; this issuer's is "
            f"{key.key_type}: offer jwt_vc_json or dc+sd-jwt",
            code="offer_invalid",
            reason="format_needs_ed25519",
        )
    return [f for f in chosen if f != "ldp_vc"]


def create_offer(
    store: Store,
    credential: Mapping[str, Any] | AchievementCredential,
    *,
    credential_issuer: str,
    formats: Sequence[str] | None = None,
    tx_code: bool = False,
    expires_in: timedelta = DEFAULT_OFFER_TTL,
    key: Signer | None = None,
    verification_method: str | None = None,
    issuer_id: str | None = None,
    loader: DocumentLoader | None = None,
    clock: Callable[[], datetime] | None = None,
) -> CredentialOffer:
    """Check a credential and keep an offer for it in ``store``.

    Args:
        store: The issuer's store (the one ``mcbadge serve`` uses).
        credential: The unsigned OB3 credential (dict or model).
        credential_issuer: The credential issuer identifier: the service's public URL.
        formats: Of ``ldp_vc``, ``jwt_vc_json``, ``dc+sd-jwt`` (default all three, but
            ``ldp_vc`` only with an Ed25519 ``key``; asked for with another key it is
            ``offer_invalid`` / ``format_needs_ed25519``).
        tx_code: Protect the offer with a 6-digit transaction code.
        expires_in: How long the offer can be redeemed.
        key: The issuer's key: with it, every signing-time check runs now (recommended).
        verification_method: The key URL the service signs with.
        issuer_id: The issuer id credentials must carry.
        loader: JSON-LD loader for the checks.
        clock: "now" (default the system clock).

    Returns:
        The :class:`CredentialOffer`.

    Raises:
        Oid4vciError: ``offer_invalid`` (see :func:`check_offer_credential`).
        StoreError: the store cannot write.

    Example:
        >>> offer = create_offer(store, cred, credential_issuer="https://badges.hs.nl",
        ...                      key=key)  # doctest: +SKIP
        >>> offer.uri.startswith("openid-credential-offer://")  # doctest: +SKIP
        True
    """
    chosen = _formats_for_key(parse_formats(formats), key, asked=formats is not None)
    document = check_offer_credential(
        credential,
        formats=chosen,
        issuer_id=issuer_id,
        key=key,
        verification_method=verification_method,
        loader=loader,
    )
    if not isinstance(credential_issuer, str) or not https_or_loopback(credential_issuer):
        raise Oid4vciError(
            "credential_issuer must be the service's public URL: https://, or http:// only on "
            "a loopback host (127.0.0.1, localhost)",
            code="offer_invalid",
            reason="credential_issuer_invalid",
        )
    now = (clock or (lambda: datetime.now(UTC)))()
    expires = now + _ttl(expires_in)
    code = secrets.token_urlsafe(32)
    pin = "".join(str(secrets.randbelow(10)) for _ in range(TX_CODE_LENGTH)) if tx_code else None
    configurations = tuple(CONFIGURATION_IDS[f] for f in chosen)
    record = OfferRecord(
        offer_id=str(uuid.uuid4()),
        credential=document,
        configurations=configurations,
        created_at=store_time(now),
        expires_at=store_time(expires),
        has_tx_code=pin is not None,
    )
    store.offer_create(
        record,
        code_hash=secret_digest(code),
        tx_code_hash=None if pin is None else secret_digest(pin),
    )
    grant: dict[str, Any] = {"pre-authorized_code": code}
    if pin is not None:
        grant["tx_code"] = {
            "input_mode": "numeric",
            "length": TX_CODE_LENGTH,
            "description": "De code uit de e-mail van je onderwijsinstelling / the code from "
            "your institution's e-mail",
        }
    body = {
        "credential_issuer": credential_issuer.rstrip("/"),
        "credential_configuration_ids": list(configurations),
        "grants": {PRE_AUTHORIZED_GRANT: grant},
    }
    return CredentialOffer(
        uri=offer_uri(body),
        credential_offer=body,
        expires=expires.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        tx_code=pin,
        offer_id=record.offer_id,
    )


def issue_offer(
    credential: Mapping[str, Any] | AchievementCredential,
    *,
    store: Store | None = None,
    credential_issuer: str | None = None,
    service: str | None = None,
    token: str | None = None,
    formats: Sequence[str] | None = None,
    tx_code: bool = False,
    expires_in: timedelta = DEFAULT_OFFER_TTL,
    key: Signer | None = None,
    verification_method: str | None = None,
    clock: Callable[[], datetime] | None = None,
    timeout: float = 30.0,
) -> CredentialOffer:
    """Make a credential offer for one learner: in a store, or through a running service.

    Give either ``store`` and ``credential_issuer`` (the service's public URL; the offer is
    written where ``mcbadge serve`` will find it; with ``key`` the signing-time checks run
    now), or ``service`` (its URL) and ``token`` (the bearer token of ``POST /offers``).

    Args:
        credential: The unsigned OB3 credential (dict or model).
        store: The issuer's store.
        credential_issuer: The service's public URL (with ``store``).
        service: The URL of a running ``mcbadge serve``.
        token: Its issuing bearer token.
        formats: Of ``ldp_vc``, ``jwt_vc_json``, ``dc+sd-jwt`` (default all three).
        tx_code: Protect the offer with a 6-digit transaction code.
        expires_in: How long the offer can be redeemed (default 14 days).
        key: (store) The issuer's key, to run the signing-time checks now.
        verification_method: (store) The key URL the service signs with.
        clock: (store) "now".
        timeout: (service) Seconds to wait for the service.

    Returns:
        The :class:`CredentialOffer` (``uri``, ``expires``, ``tx_code``; with ``qr_png()`` /
        ``qr_svg()``).

    Raises:
        Oid4vciError: ``offer_invalid`` (a credential that would not be signed, bad
            options, a ``service`` URL that is not https:// or loopback: ``https_required``),
            ``offer_service_failed`` (the service refused or could not be reached;
            its error code in ``details["reason"]``).
        StoreError: the store cannot write.

    Example:
        >>> offer = issue_offer(cred, service="https://badges.hs.nl", token=token)  # doctest: +SKIP
        >>> print(offer.uri, offer.tx_code)  # doctest: +SKIP
    """
    if (store is None) == (service is None):
        raise Oid4vciError(
            "give either store= (with credential_issuer=) or service= (with token=)",
            code="offer_invalid",
            reason="target_missing",
        )
    if store is not None:
        if credential_issuer is None:
            raise Oid4vciError(
                "with store=, give credential_issuer= (the service's public URL)",
                code="offer_invalid",
                reason="credential_issuer_invalid",
            )
        return create_offer(
            store,
            credential,
            credential_issuer=credential_issuer,
            formats=formats,
            tx_code=tx_code,
            expires_in=expires_in,
            key=key,
            verification_method=verification_method,
            clock=clock,
        )
    assert service is not None  # noqa: S101 - checked above
    if not https_or_loopback(service):
        # the bearer token issues in the institution's name, and the answer holds the codes
        raise Oid4vciError(
            f"the service URL must be https:// (or on loopback), not {service!r}: the issuing "
            "token and the offer's codes must not cross the network in the clear",
            code="offer_invalid",
            reason="https_required",
        )
    return _offer_over_http(
        service,
        token,
        _as_dict(credential),
        formats=list(parse_formats(formats)),
        tx_code=tx_code,
        expires_in=_ttl(expires_in),
        timeout=timeout,
    )


def _offer_over_http(
    service: str,
    token: str | None,
    credential: dict[str, Any],
    *,
    formats: list[str],
    tx_code: bool,
    expires_in: timedelta,
    timeout: float,
) -> CredentialOffer:
    import httpx

    body = {
        "credential": credential,
        "formats": formats,
        "tx_code": tx_code,
        "expires_in": int(expires_in.total_seconds()),
    }
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    url = service.rstrip("/") + "/offers"
    try:
        response = httpx.post(url, json=body, headers=headers, timeout=timeout)
    except httpx.HTTPError as exc:
        raise Oid4vciError(
            f"the service at {url} could not be reached: {exc}",
            code="offer_service_failed",
            reason="unreachable",
        ) from exc
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if response.status_code != 201 or not isinstance(answer, dict):
        error = answer.get("error") if isinstance(answer, dict) else None
        reason = error.get("code") if isinstance(error, dict) else f"http_{response.status_code}"
        message = error.get("message") if isinstance(error, dict) else response.text[:200]
        raise Oid4vciError(
            f"the service refused the offer ({response.status_code} {reason}): {message}",
            code="offer_service_failed",
            reason=reason,
            status=response.status_code,
        )
    uri = answer.get("uri")
    if not isinstance(uri, str) or not uri.startswith(OFFER_SCHEME):
        raise Oid4vciError(
            "the service's answer has no offer URI", code="offer_service_failed", reason="answer"
        )
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(uri).query)
    offer = json.loads(query["credential_offer"][0]) if "credential_offer" in query else {}
    return CredentialOffer(
        uri=uri,
        credential_offer=offer,
        expires=str(answer.get("expires")),
        tx_code=answer.get("tx_code"),
        offer_id=str(answer.get("offer_id", "")),
    )

"""Status in the service: entries on issue, ``POST /credentials/status``, the hosted lists.

:class:`ServiceStatus` ties the service to a :class:`~mcbadge.store.Store`:

* :meth:`ServiceStatus.allocate` gives a credential about to be signed one
  ``BitstringStatusListEntry`` per configured purpose (``revocation``, ``suspension``) on the
  current list of that purpose; its URL is ``{public_url}/status/{purpose}/{n}``.
* :meth:`ServiceStatus.record` writes the signed credential to the issuance log before the
  client gets its 201, so a 201 always means "in the log".
* :meth:`ServiceStatus.update` applies a VC API status update
  (``{"credentialId", "credentialStatus": {"type", "statusPurpose"} or [...], "status"}``).
* :meth:`ServiceStatus.document` is the signed ``BitstringStatusListCredential`` of a list,
  regenerated when the list changed (the store's ``version``) and shared by every instance
  through the store, with a strong ETag over its bytes.
* :meth:`ServiceStatus.fetcher` lets the service's own verifier read its lists offline.

This module may import the lower layers and the store; the HTTP plumbing stays in
:mod:`mcbadge.service`.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, Literal
from urllib.parse import urlsplit

from mcbadge.errors import InvalidInputError, StatusListError, StoreError
from mcbadge.store import Allocation, IssuanceRecord, StatusChange, Store, subject_reference

if TYPE_CHECKING:
    from mcbadge.jsonld.loader import DocumentLoader
    from mcbadge.keys import Signer
    from mcbadge.status import StatusChecker

__all__ = [
    "STATUS_PURPOSES",
    "ListDocument",
    "ServiceStatus",
    "parse_purposes",
    "parse_status_update",
]

STATUS_PURPOSES: Final = ("revocation", "suspension")
"""The purposes the service can add entries for."""

_ENTRY_TYPES: Final = frozenset({"BitstringStatusListEntry", "BitstringStatusList"})
_MAX_REASON: Final = 1000


def parse_purposes(value: str | Sequence[str]) -> tuple[str, ...]:
    """``"revocation,suspension"`` (or a sequence) → the purposes, checked, in order.

    Raises:
        InvalidInputError: ``invalid_option`` for an unknown or repeated purpose, or none.

    Example:
        >>> parse_purposes("suspension, revocation")
        ('revocation', 'suspension')
    """
    items = [p.strip() for p in value.split(",")] if isinstance(value, str) else list(value)
    items = [p for p in items if p]
    if not items:
        raise InvalidInputError(
            "--status needs revocation and/or suspension", code="invalid_option"
        )
    for item in items:
        if item not in STATUS_PURPOSES:
            raise InvalidInputError(
                f"unknown status purpose {item!r}: use revocation and/or suspension",
                code="invalid_option",
            )
    if len(set(items)) != len(items):
        raise InvalidInputError("a status purpose is repeated", code="invalid_option")
    return tuple(p for p in STATUS_PURPOSES if p in items)


@dataclass(frozen=True)
class StatusUpdate:
    """One change asked for by ``POST /credentials/status``."""

    credential_id: str
    purpose: str
    value: bool
    list_url: str | None
    index: int | None
    reason: str | None


def _bad(message: str, code: str = "status_request_invalid") -> InvalidInputError:
    return InvalidInputError(message, code=code)


def parse_status_update(body: Any) -> list[StatusUpdate]:
    """Read a VC API ``updateCredentialStatus`` request.

    The body is ``{"credentialId": ID, "credentialStatus": ENTRY or [ENTRY…], "status": BOOL}``
    where each ENTRY is ``{"type": "BitstringStatusListEntry", "statusPurpose": P}`` (its
    ``statusListCredential`` / ``statusListIndex`` may narrow it to one entry; an entry may
    carry its own ``status``). ``status`` defaults to ``true`` (set the bit: revoke or
    suspend); ``false`` clears it (reinstate a suspension). ``reason`` (mcbadge's addition)
    is kept with the change.

    Raises:
        InvalidInputError: ``status_request_invalid`` for anything else.

    Example:
        >>> [u.purpose for u in parse_status_update({"credentialId": "urn:x",
        ...     "credentialStatus": {"type": "BitstringStatusListEntry",
        ...                          "statusPurpose": "suspension"}})]
        ['suspension']
    """
    if not isinstance(body, dict):
        raise _bad("the request body must be a JSON object with credentialId and credentialStatus")
    unknown = sorted(set(body) - {"credentialId", "credentialStatus", "status", "reason"})
    if unknown:
        raise _bad(
            f"unknown member(s) {', '.join(map(repr, unknown))} in the status request; it takes "
            "credentialId, credentialStatus, status and reason",
            "unknown_member",
        )
    credential_id = body.get("credentialId")
    if not isinstance(credential_id, str) or not credential_id:
        raise _bad("credentialId must be the id of a credential this service issued")
    value = body.get("status", True)
    if not isinstance(value, bool):
        raise _bad("status must be true (set: revoke / suspend) or false (reinstate)")
    reason = body.get("reason")
    if reason is not None and (not isinstance(reason, str) or len(reason) > _MAX_REASON):
        raise _bad(f"reason must be a string of at most {_MAX_REASON} characters")
    raw = body.get("credentialStatus")
    given = raw if isinstance(raw, list) else [raw]
    entries: list[dict[str, Any]] = [e for e in given if isinstance(e, dict)]
    if not entries or len(entries) != len(given):
        raise _bad(
            "credentialStatus must be an object (or an array of objects) with type and "
            "statusPurpose"
        )
    updates = []
    for item in entries:
        if item.get("type") not in _ENTRY_TYPES:
            raise _bad(
                f"credentialStatus.type must be BitstringStatusListEntry, got {item.get('type')!r}"
            )
        purpose = item.get("statusPurpose")
        if purpose not in STATUS_PURPOSES:
            raise _bad(
                f"credentialStatus.statusPurpose must be revocation or suspension, got {purpose!r}"
            )
        entry_value = item.get("status", value)
        if not isinstance(entry_value, bool):
            raise _bad("credentialStatus.status must be true or false")
        list_url = item.get("statusListCredential")
        if list_url is not None and not isinstance(list_url, str):
            raise _bad("credentialStatus.statusListCredential must be a URL")
        raw_index = item.get("statusListIndex")
        index: int | None = None
        if raw_index is not None:
            if not isinstance(raw_index, str) or not raw_index.isdigit():
                raise _bad("credentialStatus.statusListIndex must be a base-10 string")
            index = int(raw_index)
        updates.append(
            StatusUpdate(
                credential_id=credential_id,
                purpose=purpose,
                value=entry_value,
                list_url=list_url,
                index=index,
                reason=reason,
            )
        )
    return updates


@dataclass(frozen=True)
class ListDocument:
    """A signed status list ready to serve: its bytes, media type and strong ETag."""

    body: bytes
    media_type: str
    etag: str


class ServiceStatus:
    """The service's status lists, kept in a store.

    Args:
        store: Where lists, entries and the issuance log live.
        public_url: Where the service is reached (``https://badges.hs.nl``); list URLs are
            ``{public_url}/status/{purpose}/{n}``. ``None``: the address the server binds
            (set by :meth:`bind_public_url` when it starts).
        purposes: The entries each credential gets (``("revocation",)`` by default).
        key: The signing key (it signs the status list credentials too).
        verification_method: The key's URL for proofs.
        issuer_id: The issuer of the lists (the credentials' issuer).
        loader: The JSON-LD loader used for signing.
        list_length: Entries per list (default 131,072, the spec's minimum).
        allow_network: Whether the verifier may fetch other issuers' lists.

    Raises:
        InvalidInputError: a bad public URL or purpose.

    Example:
        >>> status = ServiceStatus(store, public_url="https://badges.hs.nl",
        ...                        purposes=("revocation",), key=key,
        ...                        verification_method=vm, issuer_id=did)  # doctest: +SKIP
    """

    def __init__(
        self,
        store: Store,
        *,
        public_url: str | None,
        purposes: Sequence[str],
        key: Signer,
        verification_method: str,
        issuer_id: str,
        loader: DocumentLoader | None = None,
        list_length: int | None = None,
        allow_network: bool = False,
    ) -> None:
        from mcbadge.status import MIN_ENTRIES

        self.store = store
        self._public_url: str | None = None
        if public_url is not None:
            self.bind_public_url(public_url)
        self.purposes = parse_purposes(purposes)
        self.key = key
        self.verification_method = verification_method
        self.issuer_id = issuer_id
        self.loader = loader
        self.list_length = list_length or MIN_ENTRIES
        self.allow_network = allow_network
        self._network: StatusChecker | None = None

    # ---- URLs

    @property
    def public_url(self) -> str:
        """Where the service is reached, without a trailing slash.

        Raises:
            McBadgeError: ``public_url_unknown`` before the server bound its address.
        """
        if self._public_url is None:
            from mcbadge.errors import McBadgeError

            raise McBadgeError(
                "the service's public URL is not known yet (give --public-url)",
                code="public_url_unknown",
            )
        return self._public_url

    def bind_public_url(self, public_url: str, *, only_if_unset: bool = False) -> None:
        """Set where the service is reached (once; servers call it with their address).

        Raises:
            InvalidInputError: not an http(s) URL without query or fragment.
        """
        if only_if_unset and self._public_url is not None:
            return
        parts = urlsplit(public_url) if isinstance(public_url, str) else None
        if (
            parts is None
            or parts.scheme not in ("http", "https")
            or not parts.netloc
            or parts.query
            or parts.fragment
        ):
            raise InvalidInputError(
                f"the public URL must be an http(s) URL without query or fragment, got "
                f"{public_url!r}",
                code="invalid_option",
            )
        self._public_url = public_url.rstrip("/")

    def list_url(self, purpose: str, seq: int) -> str:
        """The URL of list number ``seq`` of ``purpose``.

        Example:
            >>> status.list_url("revocation", 1)  # doctest: +SKIP
            'https://badges.hs.nl/status/revocation/1'
        """
        return f"{self.public_url}/status/{purpose}/{seq}"

    def url_for_path(self, path: str) -> str:
        """The list URL a request path names (``/status/revocation/1`` → the full URL)."""
        return self.public_url + path

    def verification_link(self, credential_id: str) -> str:
        """The service's page for a credential it issued (``/verify?id=…``).

        Example:
            >>> status.verification_link("urn:uuid:1")  # doctest: +SKIP
            'https://badges.hs.nl/verify?id=urn%3Auuid%3A1'
        """
        from urllib.parse import quote

        return f"{self.public_url}/verify?id={quote(credential_id, safe='')}"

    # ---- issuing

    def check_credential(self, credential: Mapping[str, Any]) -> None:
        """Refuse a credential that already has ``credentialStatus`` (it would be rewritten).

        Raises:
            InvalidInputError: ``credential_status_present``.
        """
        if "credentialStatus" in credential:
            raise InvalidInputError(
                "the credential already has a credentialStatus; this service adds its own "
                "status entries (started with --status), so send the credential without one",
                code="credential_status_present",
            )

    def allocate(self, credential: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """Allocate the entries and return ``(issuance id, credential with credentialStatus)``.

        The allocation is durable before this returns; the credential is a new dict.

        Raises:
            StoreError: the store cannot allocate.
        """
        from mcbadge.status import entry

        self.check_credential(credential)
        issuance_id = str(uuid.uuid4())
        credential_id = credential.get("id") if isinstance(credential.get("id"), str) else None
        allocations = self.store.allocate(
            self.purposes,
            url_for=self.list_url,
            length=self.list_length,
            issuance_id=issuance_id,
            credential_id=credential_id,
        )
        entries = [entry(a.index, list_url=a.list_url, purpose=a.purpose) for a in allocations]
        out = dict(credential)
        out["credentialStatus"] = entries[0] if len(entries) == 1 else entries
        return issuance_id, out

    def record(
        self,
        issuance_id: str,
        credential: Mapping[str, Any],
        signed: dict[str, Any] | str,
        fmt: Literal["di", "jwt"],
    ) -> None:
        """Write the signed credential to the issuance log (before the client gets it).

        Raises:
            StoreError: the store cannot write.
        """
        credential_id = credential.get("id") if isinstance(credential.get("id"), str) else None
        text = signed if isinstance(signed, str) else json.dumps(signed, ensure_ascii=False)
        self.store.record_issuance(
            IssuanceRecord(
                issuance_id=issuance_id,
                credential_id=credential_id,
                subject=subject_reference(credential),
                issued_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                key_id=self.verification_method,
                format=fmt,
                credential=text,
            )
        )

    # ---- status changes

    def update(self, body: Any, *, actor: str | None = None) -> list[StatusChange]:
        """Apply a VC API status update (see :func:`parse_status_update`).

        Raises:
            InvalidInputError: a malformed request.
            StoreError: ``status_entry_not_found`` (404), ``status_not_reversible``.
        """
        changes: list[StatusChange] = []
        for update in parse_status_update(body):
            if update.list_url is not None or update.index is not None:
                entries = [
                    a
                    for a, _ in self.store.entry_statuses(update.credential_id)
                    if a.purpose == update.purpose
                    and (update.list_url is None or a.list_url == update.list_url)
                    and (update.index is None or a.index == update.index)
                ]
                if not entries:
                    raise StoreError(
                        f"credential {update.credential_id!r} has no {update.purpose} entry "
                        f"at {update.list_url or 'any list'} index "
                        f"{'any' if update.index is None else update.index}",
                        code="status_entry_not_found",
                    )
                for allocation in entries:
                    changes.extend(
                        self.store.set_status(
                            purpose=update.purpose,
                            value=update.value,
                            list_url=allocation.list_url,
                            index=allocation.index,
                            reason=update.reason,
                            actor=actor,
                        )
                    )
                continue
            try:
                changes.extend(
                    self.store.set_status(
                        purpose=update.purpose,
                        value=update.value,
                        credential_id=update.credential_id,
                        reason=update.reason,
                        actor=actor,
                    )
                )
                missing: StoreError | None = None
            except StoreError as exc:
                if exc.code != "status_entry_not_found":
                    raise
                missing = exc
            token_changes = self._token_status_update(update, actor=actor)
            if missing is not None and not token_changes:
                raise missing
            changes.extend(token_changes)
        return changes

    def _token_status_update(
        self, update: StatusUpdate, *, actor: str | None
    ) -> list[StatusChange]:
        """The same change on the credential's IETF Token Status List entries (its SD-JWT VC
        form, delivered over OpenID4VCI): revocation → 1 (final), suspension → 2, reinstating
        a suspension → 0."""
        changes: list[StatusChange] = []
        for uri, idx, current in self.store.token_status_entries(update.credential_id):
            if update.purpose == "revocation":
                value = 1
            elif update.value:
                value = 2
            else:
                value = 0 if current == 2 else current
            changed = False
            if value != current:
                try:
                    changed = self.store.token_status_set(
                        uri, idx, value, reason=update.reason, actor=actor
                    )
                except StatusListError as exc:
                    if exc.code != "status_revoked_final":
                        raise
            action = {1: "revoke", 2: "suspend"}.get(value, "reinstate")
            changes.append(
                StatusChange(
                    list_url=uri,
                    purpose=update.purpose,
                    index=idx,
                    credential_id=update.credential_id,
                    action=action,
                    changed=changed,
                    reason=update.reason,
                    at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                )
            )
        return changes

    # ---- the published lists

    def document(self, url: str) -> ListDocument | None:
        """The signed list credential for ``url`` (``None`` when the store has no such list).

        Signed again only when the list changed since it was last signed (by any instance).

        Raises:
            McBadgeError: signing failed.
        """
        info = self.store.status_list(url)
        if info is None:
            return None
        version, signed, signed_version = self.store.signed_list(url)
        if signed is None or signed_version != version:
            signed = self._sign_list(url, info.purpose, info.length, info.created_at)
            if not self.store.save_signed_list(url, version, signed):
                # changed meanwhile: the next request signs the newer version; this one is
                # still a correct, signed picture of the list as of `version`
                pass
        body = signed.encode("utf-8")
        media = "application/vc+jwt" if not signed.startswith("{") else "application/vc+ld+json"
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        return ListDocument(body=body, media_type=media, etag=etag)

    def _sign_list(self, url: str, purpose: str, length: int, created_at: str) -> str:
        from mcbadge.issue import issue
        from mcbadge.status import BitstringStatusList, status_list_credential

        bits = BitstringStatusList.create(length=length, status_purpose=purpose)
        for index in self.store.set_indexes(url):
            bits.set(index, 1)
        # valid from when the list was created, not from this signature: a list signed "now"
        # would be "not yet valid" to a verifier whose clock (or whose "now", taken before
        # the fetch) is a moment behind
        unsigned = status_list_credential(
            bits, id=url, issuer=self.issuer_id, valid_from=created_at[:19] + "Z"
        )
        if self.key.key_type == "Ed25519":
            return json.dumps(
                issue(
                    unsigned,
                    self.key,
                    verification_method=self.verification_method,
                    loader=self.loader,
                ),
                ensure_ascii=False,
            )
        return issue(unsigned, self.key, format="jwt", verification_method=self.verification_method)

    def owns(self, url: str) -> bool:
        """Whether ``url`` is one of this store's lists."""
        return self.store.status_list(url) is not None

    def fetcher(self) -> Callable[[str], bytes]:
        """A status fetcher for verification: this service's lists from the store, offline.

        Other URLs are fetched over HTTPS only when the service allows network access.
        """

        def fetch(url: str) -> bytes:
            document = self.document(url)
            if document is not None:
                return document.body
            if not self.allow_network:
                raise StatusListError(
                    f"{url} is not a status list of this service and network access is off",
                    code="status_unavailable",
                    url=url,
                )
            if self._network is None:
                from mcbadge.status import StatusChecker

                self._network = StatusChecker(allow_network=True)
            return self._network._http_get(url)

        return fetch


def credential_page_record(store: Store, credential_id: str) -> IssuanceRecord | None:
    """The newest logged issuance of ``credential_id`` (for ``/verify?id=``), or ``None``.

    Raises:
        StoreError: the store cannot be read.

    Example:
        >>> credential_page_record(store, "urn:uuid:1")  # doctest: +SKIP
    """
    records = store.issuances(credential_id)
    return records[0] if records else None


def allocations_of(store: Store, credential_id: str) -> list[tuple[Allocation, int]]:
    """The status entries of a credential with their values (for pages and the CLI).

    Raises:
        StoreError: the store cannot be read.
    """
    return store.entry_statuses(credential_id)

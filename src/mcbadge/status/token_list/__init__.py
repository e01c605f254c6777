"""The IETF Token Status List (draft-ietf-oauth-status-list): status for SD-JWT VCs.

A Referenced Token (an SD-JWT VC) carries ``"status": {"status_list": {"idx": 42, "uri":
"https://hs.nl/status/1"}}``. At ``uri`` the issuer publishes a *Status List Token*: a JWT with
``typ: statuslist+jwt`` whose ``status_list`` claim is ``{"bits": 1|2|4|8, "lst": …}`` —
``lst`` being base64url(ZLIB(DEFLATE(bytes))) of the statuses, entry ``i`` in bits
``i*bits … i*bits+bits-1`` counted from the **least** significant bit of each byte (the
opposite of the W3C Bitstring Status List). Values: ``0x00`` VALID, ``0x01`` INVALID
(revoked, final), ``0x02`` SUSPENDED, ``0x03`` and ``0x0C``–``0x0F`` application-specific.

* :class:`TokenStatusList` — the list: create, get/set, revoke, suspend, reinstate, encode,
  decode (bounded: a zlib bomb raises ``status_list_too_large``).
* :func:`status_list_token` — sign and publish it (``sub`` = its URI, ``iat``, ``exp``,
  ``ttl``).
* :class:`TokenStatusRegistry` — the issuer's side: allocate random indexes, revoke and
  suspend, through :mod:`mcbadge.store` (SQLite / PostgreSQL, shared by service instances),
  or any :class:`TokenStatusStore` (in memory by default).
* :class:`TokenStatusChecker` — the verifier's side: fetch (an injected fetcher, or HTTPS when
  allowed — offline by default, like the Bitstring checker), check ``typ``, signature, ``sub``,
  ``iat``/``exp``, decode, read the entry.

Where each part lives (every name is imported from here, the documented path):
:mod:`~mcbadge.status.token_list.lists` (the list, the reference, the signed token),
:mod:`~mcbadge.status.token_list.registry` (the issuer's indexes and statuses) and
:mod:`~mcbadge.status.token_list.checker` (the verifier's side); both import only the first.

Example:
    >>> lst = TokenStatusList.create(16, bits=1)
    >>> for i in (0, 3, 4, 5, 7, 8, 9, 13, 15): lst.set(i, 1)
    >>> lst.to_json()
    {'bits': 1, 'lst': 'eNrbuRgAAhcBXQ'}
"""

from __future__ import annotations

from mcbadge.status.token_list.checker import TokenStatusChecker, TokenStatusResult
from mcbadge.status.token_list.lists import (
    ALLOWED_BITS,
    DEFAULT_MAX_DECOMPRESSED_BYTES,
    STATUS_INVALID,
    STATUS_LIST_JWT_TYPE,
    STATUS_SUSPENDED,
    STATUS_VALID,
    StatusReference,
    TokenStatusList,
    status_list_token,
)
from mcbadge.status.token_list.registry import (
    MemoryTokenStatusStore,
    TokenStatusRegistry,
    TokenStatusStore,
)

__all__ = [
    "ALLOWED_BITS",
    "DEFAULT_MAX_DECOMPRESSED_BYTES",
    "STATUS_INVALID",
    "STATUS_LIST_JWT_TYPE",
    "STATUS_SUSPENDED",
    "STATUS_VALID",
    "MemoryTokenStatusStore",
    "StatusReference",
    "TokenStatusChecker",
    "TokenStatusList",
    "TokenStatusRegistry",
    "TokenStatusResult",
    "TokenStatusStore",
    "status_list_token",
]

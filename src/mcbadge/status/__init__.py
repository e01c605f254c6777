"""Credential status: W3C Bitstring Status List v1.0, and reading ``1EdTechRevocationList``.

An issuer gives each credential a position (an *index*) in a long list of bits, publishes the
list as a signed ``BitstringStatusListCredential``, and later flips the bit to revoke or suspend
the credential. A verifier fetches the list, checks its proof and dates, and reads the bit.

* :class:`BitstringStatusList` -- the list itself: create (at least 131,072 entries), read and
  write entries, ``encode()`` to the ``encodedList`` text (multibase base64url of GZIP) and
  ``decode()`` it back (bounded: a decompression bomb is refused).
* :class:`StatusListAllocator` -- hands out indexes uniformly at random without reuse; its state
  is saved atomically (:meth:`StatusListAllocator.save`) so that issuing survives ``kill -9``.
* :func:`entry` -- the ``BitstringStatusListEntry`` to put in a credential's ``credentialStatus``.
* :func:`status_list_credential` -- the unsigned ``BitstringStatusListCredential``; sign it with
  :func:`mcbadge.issue` (Data Integrity or VC-JWT) and publish it at its ``id``.
* :class:`StatusChecker` -- the verifier side: fetch (injected fetcher, or HTTPS when allowed),
  verify, check dates, issuer and purpose, decode, read the bit, cache.

Where each lives (lower never imports higher): :mod:`~mcbadge.status.constants`,
:mod:`~mcbadge.status.bitstring`, :mod:`~mcbadge.status.allocator`,
:mod:`~mcbadge.status.publishing` (entries and list credentials), :mod:`~mcbadge.status.lists`
(reading a fetched list), :mod:`~mcbadge.status.checker` and :mod:`~mcbadge.status.token_list`
(the IETF Token Status List). The package may import the layers below it (errors, _internal,
store, keys, did, proofs); never verify, service or cli.

Bit order (the spec's "Bitstring Encoding" section): index 0 is the left-most bit (the most
significant bit, ``0x80``) of the first byte. An entry of ``statusSize`` bits occupies the bits
``index * statusSize`` to ``index * statusSize + statusSize - 1``, most significant first.

Example:
    >>> status_list = BitstringStatusList.create(status_purpose="revocation")
    >>> status_list.revoke(7)
    >>> decoded = BitstringStatusList.decode(status_list.encode())
    >>> decoded.get(7), decoded.get(8), decoded.nonzero_indexes()
    (1, 0, [7])
"""

from __future__ import annotations

from mcbadge.status.allocator import StatusListAllocator
from mcbadge.status.bitstring import BitstringStatusList
from mcbadge.status.checker import StatusChecker, StatusResult
from mcbadge.status.constants import (
    DEFAULT_CACHE_TTL,
    DEFAULT_MAX_DECODED_BYTES,
    MIN_ENTRIES,
    StatusFetcher,
)
from mcbadge.status.publishing import entry, status_list_credential

__all__ = [
    "DEFAULT_CACHE_TTL",
    "DEFAULT_MAX_DECODED_BYTES",
    "MIN_ENTRIES",
    "BitstringStatusList",
    "StatusChecker",
    "StatusFetcher",
    "StatusListAllocator",
    "StatusResult",
    "entry",
    "status_list_credential",
]

"""The issuer's side of Token Status Lists: random indexes, revoke, suspend, reinstate.

`TokenStatusRegistry` hands out random indexes and records
status changes through a :class:`TokenStatusStore`: :mod:`mcbadge.store` (SQLite or
PostgreSQL, shared by every service instance) or :class:`MemoryTokenStatusStore`.

May import: :mod:`mcbadge.status.token_list.lists`, :mod:`mcbadge.errors` (the store and keys
for type checking only).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from mcbadge.errors import InvalidInputError
from mcbadge.status.token_list.lists import (
    DEFAULT_SIZE,
    STATUS_INVALID,
    STATUS_SUSPENDED,
    STATUS_VALID,
    StatusReference,
    TokenStatusList,
    _error,
    status_list_token,
)

if TYPE_CHECKING:
    from mcbadge.keys import Signer
    from mcbadge.store import Store


@runtime_checkable
class TokenStatusStore(Protocol):
    """Where the issuer keeps its lists: allocation and status values (must outlive a process).

    :class:`MemoryTokenStatusStore` implements it in memory; :mod:`mcbadge.store` in SQLite
    and PostgreSQL.
    """

    def allocate_index(self, uri: str, size: int) -> int:
        """Take a random unused index of the list at ``uri`` (``size`` entries)."""

    def set_status(self, uri: str, idx: int, value: int) -> None:
        """Record the status value of one allocated index."""

    def statuses(self, uri: str) -> Mapping[int, int]:
        """Every non-zero status value of the list, by index."""


class MemoryTokenStatusStore:
    """A :class:`TokenStatusStore` in memory (tests, one-off scripts).

    Example:
        >>> store = MemoryTokenStatusStore()
        >>> 0 <= store.allocate_index("https://hs.nl/s/1", 16) < 16
        True
    """

    def __init__(self) -> None:
        self._allocated: dict[str, set[int]] = {}
        self._values: dict[str, dict[int, int]] = {}
        self._lock = threading.Lock()

    def allocate_index(self, uri: str, size: int) -> int:
        """Take a random unused index (uniform among the free ones)."""
        with self._lock:
            taken = self._allocated.setdefault(uri, set())
            if len(taken) >= size:
                raise _error(f"the status list {uri} is full", "status_list_full", uri=uri)
            if len(taken) < size // 2:
                while True:
                    index = secrets.randbelow(size)
                    if index not in taken:
                        break
            else:
                free = [i for i in range(size) if i not in taken]
                index = free[secrets.randbelow(len(free))]
            taken.add(index)
            return index

    def set_status(self, uri: str, idx: int, value: int) -> None:
        """Record a status value (an unallocated index is refused)."""
        with self._lock:
            if idx not in self._allocated.get(uri, set()):
                raise _error(
                    f"index {idx} of {uri} was never allocated", "status_index_not_allocated"
                )
            values = self._values.setdefault(uri, {})
            if value:
                values[idx] = value
            else:
                values.pop(idx, None)

    def statuses(self, uri: str) -> Mapping[int, int]:
        """Every non-zero status value."""
        with self._lock:
            return dict(self._values.get(uri, {}))


class _SqlStorePort:
    """A :class:`mcbadge.store.Store` seen as a :class:`TokenStatusStore`."""

    def __init__(self, store: Any, bits: int) -> None:
        self._store = store
        self._bits = bits

    def allocate_index(self, uri: str, size: int) -> int:
        return int(self._store.token_status_allocate(uri, size=size, bits=self._bits))

    def set_status(self, uri: str, idx: int, value: int) -> None:
        self._store.token_status_set(uri, idx, value)

    def statuses(self, uri: str) -> Mapping[int, int]:
        return dict(self._store.token_status_values(uri))


class TokenStatusRegistry:
    """The issuer's side of one Token Status List: allocate, revoke, suspend, publish.

    Args:
        uri: The list's URI (where its token is served).
        store: Where allocation and statuses live: a :class:`mcbadge.store.Store` (SQLite or
            PostgreSQL; shared by every service instance), any :class:`TokenStatusStore`, or
            nothing for an in-memory one.
        size: Entries in the list.
        bits: Bits per entry (2 or more to suspend).

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> registry = TokenStatusRegistry("https://hs.nl/status/1", size=64, bits=2)
        >>> ref = registry.allocate()
        >>> registry.suspend(ref.idx)
        >>> registry.status_list().get(ref.idx)
        2
    """

    def __init__(
        self,
        uri: str,
        *,
        store: TokenStatusStore | Store | None = None,
        size: int = DEFAULT_SIZE,
        bits: int = 1,
    ) -> None:
        if not isinstance(uri, str) or not uri:
            raise InvalidInputError("uri must be the list's URI", code="invalid_option")
        TokenStatusList.create(size, bits=bits)  # validates size and bits
        self.uri = uri
        self.size = size
        self.bits = bits
        port: TokenStatusStore
        if store is None:
            port = MemoryTokenStatusStore()
        elif callable(getattr(store, "token_status_allocate", None)):
            port = _SqlStorePort(store, bits)
        else:
            port = store  # type: ignore[assignment]
        self.store: TokenStatusStore = port

    def allocate(self) -> StatusReference:
        """A fresh random index, as the reference to put in a credential's ``status``."""
        return StatusReference(self.store.allocate_index(self.uri, self.size), self.uri)

    def _set(self, idx: int, value: int) -> None:
        probe = TokenStatusList.create(self.size, bits=self.bits)
        probe.set(idx, value)  # range and width checks
        current = self.store.statuses(self.uri).get(idx, STATUS_VALID)
        if current == STATUS_INVALID and value != STATUS_INVALID:
            raise _error("a revoked entry stays revoked", "status_revoked_final")
        self.store.set_status(self.uri, idx, value)

    def revoke(self, idx: int) -> None:
        """Revoke (INVALID, final)."""
        self._set(idx, STATUS_INVALID)

    def suspend(self, idx: int) -> None:
        """Suspend (needs ``bits >= 2``)."""
        self._set(idx, STATUS_SUSPENDED)

    def reinstate(self, idx: int) -> None:
        """Lift a suspension."""
        self._set(idx, STATUS_VALID)

    def status_list(self) -> TokenStatusList:
        """The list as it stands."""
        lst = TokenStatusList.create(self.size, bits=self.bits)
        for idx, value in self.store.statuses(self.uri).items():
            lst.set(idx, value)
        return lst

    def token(self, signer: Signer, **options: Any) -> str:
        """The signed Status List Token (options as :func:`status_list_token`)."""
        return status_list_token(self.status_list(), signer, uri=self.uri, **options)

"""Status list index allocation (:class:`StatusListAllocator`): uniformly random, never reused,
state saved atomically so issuing survives ``kill -9``.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from mcbadge._internal.files import write_atomic
from mcbadge.errors import (
    StatusListError,
)
from mcbadge.status.bitstring import _POPCOUNT, BitstringStatusList
from mcbadge.status.constants import MIN_ENTRIES, _check_int, _error

if TYPE_CHECKING:
    pass


_ALLOCATOR_STATE_TYPE: Final = "mcbadge.StatusListAllocator"
_ALLOCATOR_STATE_VERSION: Final = 1


# --------------------------------------------------------------------------- allocation


class StatusListAllocator:
    """Hands out status list indexes uniformly at random, never the same one twice.

    The spec asks for random assignment so that an index reveals nothing about when a
    credential was issued or how many were. Each :meth:`allocate` draws with :mod:`secrets`
    from the indexes not yet handed out.

    **The crash-safety contract.** An index is *spent* the moment it is allocated. Persist the
    allocator (:meth:`save`, which writes atomically and fsyncs) **before** the index goes into
    a credential you sign or hand out::

        allocator = StatusListAllocator.load(state_path)
        index = allocator.allocate()
        allocator.save(state_path)          # durable from here on
        credential["credentialStatus"] = entry(index, list_url=url, purpose="revocation")
        signed = issue(credential, key)     # a crash here only wastes the index

    A crash between ``allocate`` and ``save`` loses an index that no credential carries; a crash
    after ``save`` wastes one. Neither can make two credentials share an index. For batches,
    :meth:`allocate_many` then one :meth:`save`. One process at a time may own a state file
    (hold a lock); the object itself is thread-safe.

    Args:
        length: Number of indexes, normally the status list's length (default 131,072). A
            smaller range weakens herd privacy.
        list_url: The status list credential URL this allocator serves (recorded in the state
            so that states of different lists are not mixed up).

    Raises:
        StatusListError: ``status_list_length_invalid`` for a bad length.

    Example:
        >>> allocator = StatusListAllocator(length=131072, list_url="https://hs.nl/status/1")
        >>> first, second = allocator.allocate(), allocator.allocate()
        >>> first != second, allocator.allocated_count
        (True, 2)
        >>> StatusListAllocator.from_json(allocator.to_json()).is_allocated(first)
        True
    """

    def __init__(self, *, length: int = MIN_ENTRIES, list_url: str | None = None) -> None:
        _check_int(length, "length", minimum=1, code="status_list_length_invalid")
        if list_url is not None and (not isinstance(list_url, str) or not list_url):
            raise _error("list_url must be a non-empty string", "status_entry_invalid")
        self.length = length
        self.list_url = list_url
        self._used = bytearray((length + 7) // 8)
        self._count = 0
        self._free: list[int] | None = None  # built once the range is half used
        self._lock = threading.Lock()

    # ---- queries
    @property
    def allocated_count(self) -> int:
        """How many indexes have been handed out."""
        return self._count

    @property
    def remaining(self) -> int:
        """How many indexes are still free."""
        return self.length - self._count

    def is_allocated(self, index: int) -> bool:
        """Whether ``index`` has been handed out.

        Raises:
            StatusListError: ``status_index_out_of_range``.

        Example:
            >>> StatusListAllocator(length=8).is_allocated(3)
            False
        """
        self._check_index(index)
        return bool(self._used[index >> 3] & (0x80 >> (index & 7)))

    def _check_index(self, index: Any) -> None:
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < self.length:
            raise _error(
                f"index {index!r} is outside 0..{self.length - 1}",
                "status_index_out_of_range",
                index=index,
            )

    # ---- allocation
    def allocate(self) -> int:
        """Take one free index, uniformly at random.

        Returns:
            The index; persist the allocator (:meth:`save`) before using it.

        Raises:
            StatusListError: ``status_list_exhausted`` when every index is taken (start a new
                status list).

        Example:
            >>> 0 <= StatusListAllocator(length=8).allocate() < 8
            True
        """
        with self._lock:
            return self._allocate_locked()

    def allocate_many(self, count: int) -> list[int]:
        """Take ``count`` distinct free indexes (all or none).

        Raises:
            StatusListError: ``status_list_exhausted`` when fewer than ``count`` are free.

        Example:
            >>> len(set(StatusListAllocator(length=8).allocate_many(8)))
            8
        """
        _check_int(count, "count", minimum=0, code="invalid_input")
        with self._lock:
            if count > self.length - self._count:
                raise self._exhausted(count)
            return [self._allocate_locked() for _ in range(count)]

    def mark_allocated(self, index: int) -> None:
        """Record ``index`` as taken (e.g. indexes already used by credentials issued elsewhere).

        Raises:
            StatusListError: ``status_index_out_of_range``; ``status_index_reused`` when it was
                already taken.

        Example:
            >>> allocator = StatusListAllocator(length=8)
            >>> allocator.mark_allocated(5); allocator.is_allocated(5)
            True
        """
        with self._lock:
            self._check_index(index)
            mask = 0x80 >> (index & 7)
            if self._used[index >> 3] & mask:
                raise _error(
                    f"index {index} is already allocated", "status_index_reused", index=index
                )
            self._take(index)
            if self._free is not None:
                self._free.remove(index)

    def _exhausted(self, wanted: int = 1) -> StatusListError:
        return _error(
            f"the status list is full: {self._count} of {self.length} indexes are allocated "
            f"and {wanted} more were asked for; publish a new status list",
            "status_list_exhausted",
            length=self.length,
        )

    def _take(self, index: int) -> None:
        self._used[index >> 3] |= 0x80 >> (index & 7)
        self._count += 1

    def _allocate_locked(self) -> int:
        if self._count >= self.length:
            raise self._exhausted()
        if self._free is None and self._count * 2 < self.length:
            # sparse: rejection sampling, fewer than 2 draws on average
            while True:
                index = secrets.randbelow(self.length)
                if not self._used[index >> 3] & (0x80 >> (index & 7)):
                    self._take(index)
                    return index
        if self._free is None:
            self._free = [
                i for i in range(self.length) if not self._used[i >> 3] & (0x80 >> (i & 7))
            ]
        position = secrets.randbelow(len(self._free))
        index = self._free[position]
        self._free[position] = self._free[-1]
        self._free.pop()
        self._take(index)
        return index

    # ---- persistence
    def to_json(self) -> str:
        """The state as JSON text (the allocated set as a GZIP bitmap, like ``encodedList``).

        Example:
            >>> json.loads(StatusListAllocator(length=16).to_json())["allocated"]
            0
        """
        with self._lock:
            state = {
                "type": _ALLOCATOR_STATE_TYPE,
                "version": _ALLOCATOR_STATE_VERSION,
                "length": self.length,
                "listUrl": self.list_url,
                "allocated": self._count,
                "bitmap": BitstringStatusList(self._used).encode(),
            }
        return json.dumps(state, sort_keys=True)

    @classmethod
    def from_json(cls, state: str | bytes | Mapping[str, Any]) -> StatusListAllocator:
        """Rebuild an allocator from :meth:`to_json` output, checking it thoroughly.

        Raises:
            StatusListError: ``allocator_state_invalid`` for anything that is not a consistent
                allocator state.

        Example:
            >>> StatusListAllocator.from_json(StatusListAllocator(length=8).to_json()).length
            8
        """

        def invalid(reason: str) -> StatusListError:
            return _error(
                f"invalid status list allocator state: {reason}", "allocator_state_invalid"
            )

        if isinstance(state, str | bytes):
            from mcbadge._internal.jsontext import JsonTextError, loads_strict

            try:
                state = loads_strict(state)
            except JsonTextError as exc:
                raise invalid(f"not JSON ({exc.reason})") from exc
        if not isinstance(state, Mapping):
            raise invalid("not a JSON object")
        if state.get("type") != _ALLOCATOR_STATE_TYPE:
            raise invalid(f"type must be {_ALLOCATOR_STATE_TYPE!r}")
        if state.get("version") != _ALLOCATOR_STATE_VERSION:
            raise invalid(f"unsupported version {state.get('version')!r}")
        length, count, list_url = state.get("length"), state.get("allocated"), state.get("listUrl")
        if not isinstance(length, int) or isinstance(length, bool) or length < 1:
            raise invalid("length must be a positive integer")
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= length:
            raise invalid("allocated must be an integer between 0 and length")
        if list_url is not None and not isinstance(list_url, str):
            raise invalid("listUrl must be a string or null")
        try:
            bitmap = BitstringStatusList.decode(
                state.get("bitmap"),  # type: ignore[arg-type]
                min_entries=1,
                max_decoded_bytes=(length + 7) // 8,
            ).to_bytes()
        except StatusListError as exc:
            raise invalid(f"bitmap: {exc.message}") from exc
        if len(bitmap) != (length + 7) // 8:
            raise invalid("the bitmap size does not match length")
        if length % 8 and bitmap[-1] & (0xFF >> (length % 8)):
            raise invalid("the bitmap marks indexes beyond length")
        if sum(_POPCOUNT[b] for b in bitmap) != count:
            raise invalid("allocated does not match the bitmap")
        allocator = cls(length=length, list_url=list_url)
        allocator._used = bytearray(bitmap)
        allocator._count = count
        return allocator

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the state to ``path`` atomically and durably (temp file, fsync, rename).

        After ``save`` returns, every index allocated so far survives a crash or ``kill -9``.

        Raises:
            StatusListError: ``allocator_state_unwritable`` when the file cannot be written.

        Example:
            >>> allocator.save("status-1.allocator.json")  # doctest: +SKIP
        """
        target = Path(path)
        try:
            write_atomic(target, self.to_json().encode("utf-8"))
        except OSError as exc:
            raise _error(
                f"cannot write the allocator state to {target}: {exc}",
                "allocator_state_unwritable",
                path=str(target),
            ) from exc

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> StatusListAllocator:
        """Read a state written by :meth:`save`.

        Raises:
            StatusListError: ``allocator_state_missing`` when the file does not exist (create
                a new allocator for a new list), ``allocator_state_invalid`` when it is damaged.

        Example:
            >>> allocator = StatusListAllocator.load("status-1.allocator.json")  # doctest: +SKIP
        """
        target = Path(path)
        try:
            data = target.read_bytes()
        except FileNotFoundError as exc:
            raise _error(
                f"no allocator state at {target}; create StatusListAllocator(...) for a new list",
                "allocator_state_missing",
                path=str(target),
            ) from exc
        except OSError as exc:
            raise _error(
                f"cannot read the allocator state {target}: {exc}",
                "allocator_state_invalid",
                path=str(target),
            ) from exc
        return cls.from_json(data)

    def __repr__(self) -> str:
        return (
            f"StatusListAllocator(length={self.length}, list_url={self.list_url!r}, "
            f"allocated={self._count})"
        )

"""The durable status-list allocator state of a batch (:class:`StatusListState`).

Indexes are allocated and the state saved *before* they are journaled and signed with, so no
index is used twice, whatever crashes.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Final

from mcbadge._internal.files import write_atomic
from mcbadge.batch.files import _folder_lock
from mcbadge.errors import (
    StatusListError,
)

if TYPE_CHECKING:
    from mcbadge.status import BitstringStatusList, StatusListAllocator

_STATE_TYPE: Final = "mcbadge.StatusListState"
_STATE_VERSION: Final = 1


# --------------------------------------------------------------------------- status state


class StatusListState:
    """A status list as its issuer keeps it: URL, purpose, the bits, and which indexes are used.

    One JSON file holds it (written by :meth:`save`: temporary file, fsync, rename); the
    ``mcbadge status`` commands and :func:`issue_batch` change it only through :meth:`edit`,
    which holds an exclusive lock (``flock`` on the file's folder) while it loads, changes
    and saves, so that concurrent batches and revocations never lose each other's updates.

    Attributes:
        url: The URL the signed list is published at (``statusListCredential``).
        status_list: The bits (:class:`~mcbadge.status.BitstringStatusList`).
        allocator: The indexes handed out (:class:`~mcbadge.status.StatusListAllocator`).

    Raises:
        StatusListError: the list and the allocator do not belong together.

    Example:
        >>> state = StatusListState.create("https://hs.nl/status/1")
        >>> state.purpose, state.status_list.length
        ('revocation', 131072)
    """

    def __init__(
        self, *, url: str, status_list: BitstringStatusList, allocator: StatusListAllocator
    ) -> None:
        if allocator.length != status_list.length or allocator.list_url != url:
            raise StatusListError(
                "the allocator does not belong to this status list (length or URL differ)",
                code="status_state_invalid",
            )
        if status_list.status_purpose is None:
            raise StatusListError("the status list has no purpose", code="status_state_invalid")
        self.url = url
        self.status_list = status_list
        self.allocator = allocator

    @property
    def purpose(self) -> str:
        """``"revocation"`` or ``"suspension"`` (or ``"message"``)."""
        return str(self.status_list.status_purpose)

    @classmethod
    def create(
        cls, url: str, *, purpose: str = "revocation", length: int | None = None
    ) -> StatusListState:
        """A new, empty list.

        Args:
            url: Where the signed list will be published.
            purpose: ``"revocation"`` (default) or ``"suspension"``.
            length: Entries (default and minimum 131,072).

        Returns:
            The state; :meth:`save` it.

        Raises:
            StatusListError: a bad URL, purpose or length.

        Example:
            >>> StatusListState.create("https://hs.nl/s/2", purpose="suspension").purpose
            'suspension'
        """
        from mcbadge.status import MIN_ENTRIES, BitstringStatusList, StatusListAllocator, entry

        entry(0, list_url=url, purpose=purpose)  # checks the URL and purpose
        bits = BitstringStatusList.create(length=length or MIN_ENTRIES, status_purpose=purpose)
        allocator = StatusListAllocator(length=bits.length, list_url=url)
        return cls(url=url, status_list=bits, allocator=allocator)

    def to_json(self) -> str:
        """The state as JSON text.

        Example:
            >>> json.loads(StatusListState.create("https://hs.nl/s/1").to_json())["purpose"]
            'revocation'
        """
        return json.dumps(
            {
                "type": _STATE_TYPE,
                "version": _STATE_VERSION,
                "url": self.url,
                "purpose": self.purpose,
                "length": self.status_list.length,
                "encodedList": self.status_list.encode(),
                "allocator": json.loads(self.allocator.to_json()),
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> StatusListState:
        """Read :meth:`to_json` output.

        Raises:
            StatusListError: ``status_state_invalid`` for anything else.

        Example:
            >>> s = StatusListState.create("https://hs.nl/s/1")
            >>> StatusListState.from_json(s.to_json()).url
            'https://hs.nl/s/1'
        """
        from mcbadge._internal.jsontext import JsonTextError, loads_strict
        from mcbadge.status import BitstringStatusList, StatusListAllocator

        try:
            data = loads_strict(text)
        except JsonTextError as exc:
            raise StatusListError(
                f"the status list state is not JSON: {exc.reason}", code="status_state_invalid"
            ) from exc
        if not isinstance(data, dict) or data.get("type") != _STATE_TYPE:
            raise StatusListError(
                f"not a status list state (type must be {_STATE_TYPE!r}); create one with "
                "'mcbadge status create'",
                code="status_state_invalid",
            )
        if data.get("version") != _STATE_VERSION:
            raise StatusListError(
                f"unsupported status list state version {data.get('version')!r}",
                code="status_state_invalid",
            )
        url, purpose, length = data.get("url"), data.get("purpose"), data.get("length")
        if not isinstance(url, str) or not isinstance(purpose, str) or not isinstance(length, int):
            raise StatusListError(
                "the status list state needs url, purpose and length", code="status_state_invalid"
            )
        try:
            bits = BitstringStatusList.decode(
                data.get("encodedList"),  # type: ignore[arg-type]
                status_purpose=purpose,
                min_entries=1,
            )
            allocator = StatusListAllocator.from_json(data.get("allocator") or {})
        except StatusListError as exc:
            raise StatusListError(
                f"the status list state is damaged: {exc.message}", code="status_state_invalid"
            ) from exc
        if bits.length != length:
            raise StatusListError(
                "the status list state is damaged: length does not match the list",
                code="status_state_invalid",
            )
        return cls(url=url, status_list=bits, allocator=allocator)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the state atomically and durably.

        Raises:
            StatusListError: ``status_state_unwritable``.

        Example:
            >>> StatusListState.create("https://hs.nl/s/1").save("status.json")  # doctest: +SKIP
        """
        try:
            write_atomic(path, self.to_json().encode("utf-8"))
        except OSError as exc:
            raise StatusListError(
                f"cannot write the status list state {path}: {exc.strerror or exc}",
                code="status_state_unwritable",
                path=str(path),
            ) from exc

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> StatusListState:
        """Read a state file.

        Raises:
            StatusListError: ``status_state_missing`` (create it with ``mcbadge status
                create``), ``status_state_invalid``.

        Example:
            >>> StatusListState.load("status.json").url  # doctest: +SKIP
            'https://hs-voorbeeld.nl/status/1'
        """
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError as exc:
            raise StatusListError(
                f"no status list state at {path}; create it with 'mcbadge status create "
                "--url URL --out FILE'",
                code="status_state_missing",
                path=str(path),
            ) from exc
        except OSError as exc:
            raise StatusListError(
                f"cannot read the status list state {path}: {exc.strerror or exc}",
                code="status_state_invalid",
                path=str(path),
            ) from exc
        return cls.from_json(data)

    @classmethod
    @contextlib.contextmanager
    def edit(cls, path: str | os.PathLike[str]) -> Iterator[StatusListState]:
        """Lock, load, yield the state to change, and save it when the block ends normally.

        Raises:
            StatusListError: as :meth:`load` and :meth:`save`. An exception in the block
                leaves the file as it was.

        Example:
            >>> with StatusListState.edit("status.json") as state:  # doctest: +SKIP
            ...     state.status_list.revoke(42)
        """
        target = Path(path)
        with _folder_lock(target.absolute().parent):
            state = cls.load(target)
            yield state
            state.save(target)

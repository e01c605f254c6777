"""A batch's status entries from the service's store (:class:`StoreStatus`).

Instead of a JSON state file, each row gets its ``BitstringStatusListEntry`` from the store
``mcbadge serve`` uses, and each signed credential goes into its issuance log. Every row's
allocation is filed under an issuance id fixed by the batch and the row
(``batch:{batch id}:row:{n}``), so a resumed run finds its own allocations in the store
(also one that crashed after the store committed and before the journal did) and never
takes another's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from mcbadge._internal.multibase import base64url_decode
from mcbadge.errors import BatchError, InvalidInputError
from mcbadge.status.constants import MIN_ENTRIES
from mcbadge.store import Allocation, IssuanceRecord, subject_reference

if TYPE_CHECKING:
    from mcbadge.store import Store

__all__ = ["StoreStatus"]


@dataclass(frozen=True)
class StoreStatus:
    """Where a batch takes its status entries from: a store, one purpose, its list URLs.

    Attributes:
        store: The open store (the caller closes it).
        purpose: ``"revocation"`` or ``"suspension"`` (an OB 3.0 credential carries one
            ``credentialStatus`` object).
        url_for: ``(purpose, n) -> URL`` of list number ``n`` (the service's
            ``{public_url}/status/{purpose}/{n}``); called when a new list is needed.
        length: Entries per new list (default 131,072).

    Example:
        >>> StoreStatus(store, "revocation",
        ...             lambda p, n: f"https://hs.nl/status/{p}/{n}")  # doctest: +SKIP
    """

    store: Store
    purpose: str
    url_for: Callable[[str, int], str]
    length: int = MIN_ENTRIES

    def __post_init__(self) -> None:
        if self.purpose not in ("revocation", "suspension"):
            raise InvalidInputError(
                f"status purpose must be revocation or suspension, got {self.purpose!r}",
                code="invalid_option",
            )


class _StoreRows:
    """The batch's side of the store: rows' allocations and their issuance log entries."""

    def __init__(self, status: StoreStatus, batch_id: str) -> None:
        self.status = status
        self.prefix = f"batch:{batch_id}:row:"

    def issuance_id(self, row: int) -> str:
        return f"{self.prefix}{row}"

    def _own(self, rows: Sequence[int]) -> dict[int, Allocation]:
        found = self.status.store.issuance_allocations([self.issuance_id(r) for r in rows])
        out: dict[int, Allocation] = {}
        for row in rows:
            mine = [
                a for a in found.get(self.issuance_id(row), ()) if a.purpose == self.status.purpose
            ]
            if mine:
                out[row] = mine[0]
        return out

    def reserve(self, rows: Sequence[tuple[int, str]]) -> dict[int, Allocation]:
        """An allocation for each ``(row, credential id)``: its own from an earlier run, or new.

        Each new one is committed in the store before this returns.
        """
        allocations = self._own([row for row, _ in rows])
        for row, credential_id in rows:
            if row not in allocations:
                (allocations[row],) = self.status.store.allocate(
                    (self.status.purpose,),
                    url_for=self.status.url_for,
                    length=self.status.length,
                    issuance_id=self.issuance_id(row),
                    credential_id=credential_id,
                )
        return allocations

    def resume(self, journaled: Mapping[int, int]) -> dict[int, Allocation]:
        """The store's allocations of the rows the journal gave an index.

        Raises:
            BatchError: ``batch_store_mismatch`` when the store does not hold a row's
                allocation with the journaled index (another store, or a restored backup).
        """
        found = self._own(list(journaled))
        wrong = [r for r, i in journaled.items() if r not in found or found[r].index != i]
        if wrong:
            raise BatchError(
                f"the store does not hold this batch's status entries (rows "
                f"{', '.join(map(str, sorted(wrong)[:10]))}): resume it with the store it "
                "was started on",
                code="batch_store_mismatch",
                rows=sorted(wrong)[:100],
            )
        return found

    def record(
        self, row: int, credential_id: str | None, data: bytes, fmt: str, key_id: str
    ) -> None:
        """Log a signed row (replacing the entry of an earlier, interrupted signing)."""
        text = data.decode("utf-8").strip()
        self.status.store.record_issuance(
            IssuanceRecord(
                issuance_id=self.issuance_id(row),
                credential_id=credential_id,
                subject=subject_reference(_claims(text, fmt)),
                issued_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                key_id=key_id,
                format=fmt,
                credential=text,
            ),
            replace=True,
        )


def _claims(text: str, fmt: str) -> Mapping[str, Any]:
    """The credential in a signed file (the JWT's payload for VC-JWT)."""
    try:
        if fmt == "jwt":
            document = json.loads(base64url_decode(text.split(".")[1]))
        else:
            document = json.loads(text)
    except (ValueError, IndexError, InvalidInputError):
        return {}  # the worker wrote it; unreadable only if a bug: log no subject then
    return document if isinstance(document, Mapping) else {}

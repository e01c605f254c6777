"""The unsigned credentials of a cohort, one per row, built exactly as :func:`issue_batch`
builds them before it signs (the same learner identifiers, hashed and salted; the same unit,
result and dates). For callers that sign elsewhere: ``mcbadge offer`` makes an OpenID4VCI
offer per row, and the service signs when the learner's wallet redeems it.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from mcbadge.batch.cohort import Cohort, CohortRow, _file_name
from mcbadge.batch.workers import _Plan, _RowIssuer, _Task
from mcbadge.errors import McBadgeError

__all__ = ["RowCredential", "cohort_credentials"]


@dataclass(frozen=True)
class RowCredential:
    """One row's unsigned credential, or why the row has none.

    Attributes:
        row: The row number (1-based, counting learners).
        line: The line of the file the row starts on.
        name: A file-name stem for the row (``000001-jan-jansen``).
        credential: The unsigned credential (``None`` when ``error`` is set).
        error: Why the row could not be built.
    """

    row: int
    line: int
    name: str
    credential: dict[str, Any] | None = None
    error: McBadgeError | None = None


def cohort_credentials(
    cohort: Cohort,
    *,
    issuer_id: str,
    profile: str = "ob3",
    policy: str | None = None,
) -> Iterator[RowCredential]:
    """The unsigned credential of every row of ``cohort``, in file order.

    Args:
        cohort: From :func:`load_cohort`.
        issuer_id: The issuer id the credentials carry (the signing service's).
        profile: ``"ob3"`` (default) or ``"edubadges"``.
        policy: Policy rules (default: by the unit's size unit).

    Yields:
        A :class:`RowCredential` per row; a bad row carries its typed error.

    Example:
        >>> for item in cohort_credentials(cohort, issuer_id=did):  # doctest: +SKIP
        ...     print(item.row, item.error or item.credential["id"])
    """
    plan = _Plan(
        batch_id=str(uuid.uuid4()),
        created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        salt_key=secrets.token_hex(32),
        unit=cohort.unit,
        format="jwt",
        cryptosuite="eddsa-rdfc-2022",
        profile=profile,
        policy=policy,
        issuer_id=issuer_id,
        verification_method="",
        status_url=None,
        status_purpose=None,
        out_dir=".",
        fsync_each_file=False,
    )
    # builds only (no key is used); each credential handed out is new throughout
    builder = _RowIssuer(plan, cast(Any, None), share_unit_part=False)
    for row in cohort.rows:
        yield _build(builder, row)


def _build(builder: _RowIssuer, row: CohortRow) -> RowCredential:
    name = _file_name(row, "x")[:-2]
    task = _Task(row=row.number, fields=row.fields, problem=row.problem, index=None, file="")
    try:
        credential = builder.build(task)
    except McBadgeError as exc:
        return RowCredential(row=row.number, line=row.line, name=name, error=exc)
    return RowCredential(row=row.number, line=row.line, name=name, credential=credential)

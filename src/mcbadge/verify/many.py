"""Verify many credentials: :func:`verify_many`, in order, on every core.

Each input gets exactly the report :func:`~mcbadge.verify.verification_report` gives it one by
one; the inputs are spread over worker processes in chunks and the outcomes come back in the
order of the inputs, with at most a few chunks per worker in flight (memory stays flat for a
million inputs). An input that is no credential at all does not stop the run: its outcome
carries the typed error instead of a report.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from mcbadge._internal.parallel import default_workers, ordered_map
from mcbadge.did import Resolver
from mcbadge.errors import InvalidInputError, McBadgeError
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.net import NetworkPolicy
from mcbadge.report import VerificationReport
from mcbadge.verify.credential import verification_report
from mcbadge.verify.options import (
    DEFAULT_LEEWAY,
    DEFAULT_MAX_ENDORSEMENT_DEPTH,
    ExpectedRecipient,
    KeyEntry,
    StatusCheckerLike,
    StatusFetcher,
)

__all__ = ["VerifyOutcome", "verify_many"]


@dataclass(frozen=True)
class VerifyOutcome:
    """The outcome for one input of :func:`verify_many`.

    Attributes:
        index: The input's position (0-based) in the inputs given.
        report: Its verification report; ``None`` when it was no credential at all.
        error: The typed error when it was no credential at all (what
            :func:`~mcbadge.verify.verification_report` raises for it).

    Example:
        >>> VerifyOutcome(0, error=InvalidInputError("not JSON", code="input_not_json")).verified
        False
    """

    index: int
    report: VerificationReport | None = None
    error: McBadgeError | None = None

    @property
    def verified(self) -> bool:
        """Whether the input verified (every check passed or was skipped for a reason)."""
        return self.report is not None and self.report.verified


def _one(check: Callable[[Any], VerificationReport], numbered: tuple[int, Any]) -> VerifyOutcome:
    index, item = numbered
    try:
        return VerifyOutcome(index, report=check(item))
    except McBadgeError as exc:
        return VerifyOutcome(index, error=exc)


def verify_many(
    inputs: Iterable[Any],
    *,
    workers: int | None = None,
    chunk_size: int = 32,
    resolver: Resolver | None = None,
    keys: Mapping[str, KeyEntry] | None = None,
    trusted_issuers: Collection[str] | None = None,
    status_checker: StatusCheckerLike | None = None,
    status_fetcher: StatusFetcher | None = None,
    skip_status: bool = False,
    allow_network: bool = False,
    clock: Callable[[], datetime] | None = None,
    leeway: timedelta = DEFAULT_LEEWAY,
    expected_recipient: ExpectedRecipient | None = None,
    loader: DocumentLoader | None = None,
    max_endorsement_depth: int = DEFAULT_MAX_ENDORSEMENT_DEPTH,
    network: NetworkPolicy | None = None,
) -> Iterator[VerifyOutcome]:
    """Verify every input, in worker processes; yield one outcome per input, in order.

    Each outcome's report is the one :func:`~mcbadge.verify.verification_report` returns for
    that input with the same options; nothing is raised for an input that fails or is no
    credential. On Linux and macOS the workers are forked, so any option works (a closure as
    ``clock``, a status fetcher); on Windows the options must be picklable. Use a plain loop
    over :func:`~mcbadge.verify.verify` when there are only a few credentials.

    Args:
        inputs: Credentials in any form :func:`~mcbadge.verify.verify` takes (dicts, JSON
            text or bytes, VC-JWTs, baked images); read lazily.
        workers: Worker processes (default: every CPU this process may use; 1 = in this
            process).
        chunk_size: Inputs sent to a worker at a time.
        resolver: As for :func:`~mcbadge.verify.verify`, and the same for every other option.
        keys: Keys the caller trusts, by verification method URL.
        trusted_issuers: When given, the issuer id must be one of these.
        status_checker: Checks ``credentialStatus`` entries.
        status_fetcher: ``fetcher(url) -> document`` for the default status checker.
        skip_status: Do not check status.
        allow_network: Allow HTTPS fetches.
        clock: Returns "now" (timezone-aware).
        leeway: Clock skew allowed for the dates.
        expected_recipient: The recipient every subject must be, when given.
        loader: JSON-LD document loader.
        max_endorsement_depth: How deep embedded endorsements are verified.
        network: The network policy of every fetch (with ``allow_network``).

    Yields:
        One :class:`VerifyOutcome` per input, in the order of ``inputs``.

    Raises:
        InvalidInputError: ``workers`` or ``chunk_size`` is below 1 (``invalid_option``).

    Example:
        >>> from mcbadge.verify.many import verify_many
        >>> for outcome in verify_many(credentials, trusted_issuers=[issuer]):  # doctest: +SKIP
        ...     print(outcome.index, outcome.verified)
    """
    if workers is not None and workers < 1:
        raise InvalidInputError("workers must be at least 1", code="invalid_option")
    if chunk_size < 1:
        raise InvalidInputError("chunk_size must be at least 1", code="invalid_option")
    check = partial(
        verification_report,
        resolver=resolver,
        keys=keys,
        trusted_issuers=trusted_issuers,
        status_checker=status_checker,
        status_fetcher=status_fetcher,
        skip_status=skip_status,
        allow_network=allow_network,
        clock=clock,
        leeway=leeway,
        expected_recipient=expected_recipient,
        loader=loader,
        max_endorsement_depth=max_endorsement_depth,
        network=network,
    )
    return ordered_map(
        partial(_one, check),
        enumerate(inputs),
        workers=default_workers() if workers is None else workers,
        chunk_size=chunk_size,
    )

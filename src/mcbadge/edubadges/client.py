"""HTTP clients for the edubadges server: ``EdubadgesClient`` and ``AsyncEdubadgesClient``.

Both speak the wire format of edubadges-server (SURF) for what a student information system
needs: list badge classes and issuers, award learners directly, follow a bundle, delete
unclaimed awards, revoke assertions, and read the public Open Badges 2.0 JSON.

Both share one implementation (``mcbadge.edubadges._http``), so retries, token refresh, error
mapping and the no-double-award recovery behave identically; only the I/O differs.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from types import TracebackType
from typing import Literal, TypeVar

import httpx

from mcbadge.edubadges._http import Engine, HttpCall, Op, Outcome, RetryPolicy, Sleep
from mcbadge.edubadges.models import (
    BadgeClassSummary,
    BulkActionResult,
    Bundle,
    DirectAwardResult,
    IdentifierType,
    IssuerSummary,
    PublicAssertion,
    PublicBadgeClass,
    Recipient,
    UnclaimedDirectAward,
)
from mcbadge.errors import InvalidInputError

__all__ = ["AsyncEdubadgesClient", "EdubadgesClient", "RetryPolicy"]

T = TypeVar("T")


def _timeout(timeout: float | httpx.Timeout) -> httpx.Timeout:
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise InvalidInputError("timeout must be a positive number of seconds", field="timeout")
    return httpx.Timeout(float(timeout))


def _rng(rng: random.Random | None) -> random.Random:
    # Jitter only spreads retries out; it needs no cryptographic randomness.
    return rng if rng is not None else random.Random()  # noqa: S311


class _ClientBase:
    """What the sync and async clients share: the engine (auth, retries), repr, base URL."""

    _engine: Engine

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._engine.base_url!r}, "
            f"auth={self._engine.describe_auth()!r})"
        )

    @property
    def base_url(self) -> str:
        """The edubadges API base URL (without a trailing slash)."""
        return self._engine.base_url


def _engine(
    base_url: str,
    token: str | None,
    client_id: str | None,
    client_secret: str | None,
    token_url: str | None,
    retries: int | RetryPolicy,
    clock: Callable[[], float] | None,
    rng: random.Random | None,
) -> Engine:
    return Engine(
        base_url=base_url,
        token=token,
        client_id=client_id,
        client_secret=client_secret,
        token_url=token_url,
        retries=retries,
        clock=clock or time.monotonic,
        rng=_rng(rng),
    )


class EdubadgesClient(_ClientBase):
    """A synchronous edubadges client (httpx).

    Give either a bearer ``token`` or OAuth2 client credentials (``client_id``,
    ``client_secret``, ``token_url`` — for edubadges the SURFconext token endpoint); with
    client credentials the client fetches a token, refreshes it shortly before it expires, and
    once more if the server refuses it.

    Reads are retried on connection errors, timeouts, 429 (honouring ``Retry-After``) and 5xx,
    with exponential backoff and jitter. A direct award is never blindly repeated: after an
    ambiguous failure the client asks edubadges which learners already have an unclaimed award
    for the badge class and posts only the others (see ``docs/edubadges.md``).

    Args:
        base_url: The edubadges API, e.g. ``https://api.edubadges.nl``. Must be https (plain
            http only for 127.0.0.1/localhost).
        token: A bearer token (mutually exclusive with the client credentials).
        client_id: OAuth2 client id (client credentials grant).
        client_secret: OAuth2 client secret.
        token_url: The OAuth2 token endpoint.
        timeout: Seconds per request (or an ``httpx.Timeout``).
        retries: Extra attempts after the first, or a :class:`RetryPolicy`.
        transport: An ``httpx`` transport (tests, proxies, custom TLS).
        sleep: Replaces ``time.sleep`` for backoff (tests pass a recorder).
        clock: Replaces ``time.monotonic`` for token expiry.
        rng: Random source for the backoff jitter.

    Raises:
        InvalidInputError: Missing or conflicting credentials, a non-https URL, a bad option.

    Example:
        >>> with EdubadgesClient(base_url="https://api.edubadges.nl", token="...") as client:
        ...     classes = client.badge_classes()  # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        base_url: str,
        token: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        token_url: str | None = None,
        timeout: float | httpx.Timeout = 30.0,
        retries: int | RetryPolicy = 3,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._engine = _engine(
            base_url, token, client_id, client_secret, token_url, retries, clock, rng
        )
        self._sleep = sleep or time.sleep
        self._http = httpx.Client(
            timeout=_timeout(timeout), transport=transport, follow_redirects=False
        )

    def __enter__(self) -> EdubadgesClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool.

        Example:
            >>> EdubadgesClient(base_url="https://api.edubadges.nl", token="t").close()
        """
        self._http.close()

    def _run(self, op: Op[T]) -> T:
        try:
            step = next(op)
            while True:
                outcome: Outcome
                if isinstance(step, Sleep):
                    self._sleep(step.seconds)
                    outcome = None
                else:
                    outcome = self._send(step)
                step = op.send(outcome)
        except StopIteration as stop:
            result: T = stop.value
            return result

    def _send(self, call: HttpCall) -> httpx.Response | httpx.RequestError:
        try:
            return self._http.request(
                call.method,
                call.url,
                params=list(call.params) or None,
                json=call.json_body,
                data=dict(call.form) if call.form is not None else None,
                headers=dict(call.headers),
            )
        except httpx.RequestError as exc:
            return exc

    def badge_classes(self) -> list[BadgeClassSummary]:
        """List the badge classes of your institution (``GET /queries/badge-classes``).

        Returns:
            One summary per badge class (unknown columns kept).

        Raises:
            EdubadgesError: The server refused or failed (see the error subclasses).

        Example:
            >>> [bc.entity_id for bc in client.badge_classes()]  # doctest: +SKIP
        """
        return self._run(self._engine.badge_classes())

    def issuers(self) -> list[IssuerSummary]:
        """List the issuers you may award for (``GET /queries/issuers``).

        Returns:
            One summary per issuer.

        Raises:
            EdubadgesError: The server refused or failed.

        Example:
            >>> client.issuers()[0].name_english  # doctest: +SKIP
        """
        return self._run(self._engine.issuers())

    def direct_awards(
        self,
        *,
        badgeclass: str | None = None,
        status: Literal["unclaimed", "deleted"] = "unclaimed",
    ) -> list[UnclaimedDirectAward]:
        """List direct awards not yet claimed (or deleted) (``GET /queries/direct-awards``).

        Args:
            badgeclass: Only this badge class (filtered by the client).
            status: ``"unclaimed"`` (Unaccepted and Scheduled) or ``"deleted"``.

        Returns:
            The awards edubadges lists for your institution.

        Raises:
            InvalidInputError: ``status`` or ``badgeclass`` is invalid.
            EdubadgesError: The server refused or failed.

        Example:
            >>> len(client.direct_awards(badgeclass="BC_ENTITY_ID"))  # doctest: +SKIP
        """
        return self._run(self._engine.direct_awards(status=status, badgeclass=badgeclass))

    def direct_award(
        self,
        badgeclass: str,
        recipients: Sequence[Recipient],
        *,
        notify: bool = True,
        identifier_type: IdentifierType = "eppn",
        scheduled_at: datetime | None = None,
        batch_mode: bool = False,
        skip_existing: bool = False,
    ) -> DirectAwardResult:
        """Award a badge class directly to learners (``POST /directaward/create``).

        After an ambiguous failure (timeout or dropped connection after sending, or 5xx) the
        client lists the unclaimed direct awards of the badge class and posts only the
        learners without one, so no learner is awarded twice.

        Args:
            badgeclass: The badge class entity id.
            recipients: The learners (see :func:`~mcbadge.edubadges.read_recipients_csv`).
            notify: Let edubadges e-mail the learners (``notify_recipients``).
            identifier_type: Match learners on ``"eppn"`` (default) or ``"email"``.
            scheduled_at: Award later (timezone-aware; edubadges requires a future time).
            batch_mode: Let edubadges e-mail the awarder a summary.
            skip_existing: Check first and skip learners who already have an unclaimed award
                for this badge class (for re-running an interrupted import).

        Returns:
            The bundle id(s), the rows edubadges refused, and learners found already awarded.

        Raises:
            InvalidInputError: Bad arguments (empty list, missing eppn, duplicates, naive
                ``scheduled_at``), before any request.
            EdubadgesPermissionError: You lack ``may_award`` for the badge class.
            EdubadgesValidationError: edubadges rejected the request (e.g. every row refused).
            EdubadgesError: Any other refusal or failure that retries could not resolve.

        Example:
            >>> result = client.direct_award("BC_ENTITY_ID", recipients)  # doctest: +SKIP
            >>> result.entity_id, result.un_successful_direct_award  # doctest: +SKIP
        """
        return self._run(
            self._engine.direct_award(
                badgeclass,
                recipients,
                notify=notify,
                identifier_type=identifier_type,
                scheduled_at=scheduled_at,
                batch_mode=batch_mode,
                skip_existing=skip_existing,
            )
        )

    def bundle(self, bundle_id: str) -> Bundle:
        """Read a direct-award bundle (``GET /directaward/bundle/{id}``).

        Args:
            bundle_id: The bundle's entity id (``DirectAwardResult.entity_id``).

        Returns:
            Status counts, the direct awards and the claimed assertions.

        Raises:
            EdubadgesNotFoundError: No such bundle.
            EdubadgesError: Any other refusal or failure.

        Example:
            >>> client.bundle(result.entity_id).assertion_count  # doctest: +SKIP
        """
        return self._run(self._engine.bundle(bundle_id))

    def delete_direct_awards(self, ids: Sequence[str], reason: str) -> BulkActionResult:
        """Delete unclaimed direct awards (``PUT /directaward/delete-direct-awards``).

        Args:
            ids: Direct award entity ids.
            reason: Why (required; edubadges records it and e-mails the learner).

        Returns:
            The ids refused by the server, and those found already deleted during recovery.

        Raises:
            InvalidInputError: ``ids`` is empty or ``reason`` is empty, before any request.
            EdubadgesValidationError: edubadges refused every id.
            EdubadgesError: Any other refusal or failure.

        Example:
            >>> client.delete_direct_awards(["DA_ID"], "Awarded in error")  # doctest: +SKIP
        """
        return self._run(self._engine.delete_direct_awards(ids, reason))

    def revoke_assertions(self, ids: Sequence[str], reason: str) -> BulkActionResult:
        """Revoke claimed badges (``POST /issuer/revoke-assertions``).

        Args:
            ids: Assertion (badge instance) entity ids.
            reason: Why (required by edubadges; shown on the revoked public assertion).

        Returns:
            What was done; ``already_done`` lists ids found already revoked during recovery.

        Raises:
            InvalidInputError: ``ids`` is empty or ``reason`` is empty, before any request.
            EdubadgesPermissionError: You lack ``may_award`` for an assertion's badge class.
            EdubadgesValidationError: An id is unknown or already revoked.
            EdubadgesError: Any other refusal or failure.

        Example:
            >>> client.revoke_assertions(["ASSERTION_ID"], "Fraud detected")  # doctest: +SKIP
        """
        return self._run(self._engine.revoke_assertions(ids, reason))

    def public_badge_class(
        self, entity_id: str, *, expand: Sequence[str] = ("micro",)
    ) -> PublicBadgeClass:
        """Read a public badge class as Open Badges 2.0 JSON (``GET /public/badges/{id}``).

        Args:
            entity_id: The badge class entity id.
            expand: ``expand`` query values; ``"micro"`` adds the microcredential fields.

        Returns:
            The BadgeClass, with the ``extensions:...`` members kept.

        Raises:
            EdubadgesNotFoundError: No such badge class, or it is private.
            EdubadgesError: Any other refusal or failure.

        Example:
            >>> client.public_badge_class("BC_ENTITY_ID").extensions  # doctest: +SKIP
        """
        return self._run(self._engine.public_badge_class(entity_id, expand))

    def public_assertion(self, entity_id: str) -> PublicAssertion:
        """Read a public assertion as Open Badges 2.0 JSON (``GET /public/assertions/{id}``).

        Args:
            entity_id: The assertion entity id.

        Returns:
            The Assertion (only ``revoked``/``revocationReason`` when revoked).

        Raises:
            EdubadgesNotFoundError: No such assertion, or the learner has not made it public.
            EdubadgesError: Any other refusal or failure.

        Example:
            >>> client.public_assertion("ASSERTION_ID").revoked  # doctest: +SKIP
        """
        return self._run(self._engine.public_assertion(entity_id))


class AsyncEdubadgesClient(_ClientBase):
    """The asyncio twin of :class:`EdubadgesClient` (httpx.AsyncClient); same behaviour.

    Args:
        base_url: The edubadges API (https; plain http only for loopback).
        token: A bearer token (mutually exclusive with the client credentials).
        client_id: OAuth2 client id (client credentials grant).
        client_secret: OAuth2 client secret.
        token_url: The OAuth2 token endpoint.
        timeout: Seconds per request (or an ``httpx.Timeout``).
        retries: Extra attempts after the first, or a :class:`RetryPolicy`.
        transport: An ``httpx`` async transport.
        sleep: Replaces ``asyncio.sleep`` for backoff.
        clock: Replaces ``time.monotonic`` for token expiry.
        rng: Random source for the backoff jitter.

    Raises:
        InvalidInputError: Missing or conflicting credentials, a non-https URL, a bad option.

    Example:
        >>> async def main() -> None:
        ...     async with AsyncEdubadgesClient(base_url="https://api.edubadges.nl",
        ...                                     token="...") as client:
        ...         await client.badge_classes()
    """

    def __init__(
        self,
        *,
        base_url: str,
        token: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        token_url: str | None = None,
        timeout: float | httpx.Timeout = 30.0,
        retries: int | RetryPolicy = 3,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], float] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._engine = _engine(
            base_url, token, client_id, client_secret, token_url, retries, clock, rng
        )
        self._sleep = sleep or asyncio.sleep
        self._http = httpx.AsyncClient(
            timeout=_timeout(timeout), transport=transport, follow_redirects=False
        )

    async def __aenter__(self) -> AsyncEdubadgesClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool.

        Example:
            >>> import asyncio
            >>> asyncio.run(AsyncEdubadgesClient(base_url="https://x.nl", token="t").aclose())
        """
        await self._http.aclose()

    async def _run(self, op: Op[T]) -> T:
        try:
            step = next(op)
            while True:
                outcome: Outcome
                if isinstance(step, Sleep):
                    await self._sleep(step.seconds)
                    outcome = None
                else:
                    outcome = await self._send(step)
                step = op.send(outcome)
        except StopIteration as stop:
            result: T = stop.value
            return result

    async def _send(self, call: HttpCall) -> httpx.Response | httpx.RequestError:
        try:
            return await self._http.request(
                call.method,
                call.url,
                params=list(call.params) or None,
                json=call.json_body,
                data=dict(call.form) if call.form is not None else None,
                headers=dict(call.headers),
            )
        except httpx.RequestError as exc:
            return exc

    async def badge_classes(self) -> list[BadgeClassSummary]:
        """List the badge classes of your institution (``GET /queries/badge-classes``).

        Returns:
            One summary per badge class.

        Raises:
            EdubadgesError: The server refused or failed.

        Example:
            >>> await client.badge_classes()  # doctest: +SKIP
        """
        return await self._run(self._engine.badge_classes())

    async def issuers(self) -> list[IssuerSummary]:
        """List the issuers you may award for (``GET /queries/issuers``).

        Returns:
            One summary per issuer.

        Raises:
            EdubadgesError: The server refused or failed.

        Example:
            >>> await client.issuers()  # doctest: +SKIP
        """
        return await self._run(self._engine.issuers())

    async def direct_awards(
        self,
        *,
        badgeclass: str | None = None,
        status: Literal["unclaimed", "deleted"] = "unclaimed",
    ) -> list[UnclaimedDirectAward]:
        """List direct awards not yet claimed (or deleted) (``GET /queries/direct-awards``).

        Args:
            badgeclass: Only this badge class (filtered by the client).
            status: ``"unclaimed"`` (Unaccepted and Scheduled) or ``"deleted"``.

        Returns:
            The awards edubadges lists for your institution.

        Raises:
            InvalidInputError: ``status`` or ``badgeclass`` is invalid.
            EdubadgesError: The server refused or failed.

        Example:
            >>> await client.direct_awards(badgeclass="BC_ENTITY_ID")  # doctest: +SKIP
        """
        return await self._run(self._engine.direct_awards(status=status, badgeclass=badgeclass))

    async def direct_award(
        self,
        badgeclass: str,
        recipients: Sequence[Recipient],
        *,
        notify: bool = True,
        identifier_type: IdentifierType = "eppn",
        scheduled_at: datetime | None = None,
        batch_mode: bool = False,
        skip_existing: bool = False,
    ) -> DirectAwardResult:
        """Award a badge class directly to learners; see :meth:`EdubadgesClient.direct_award`.

        Args:
            badgeclass: The badge class entity id.
            recipients: The learners.
            notify: Let edubadges e-mail the learners.
            identifier_type: Match learners on ``"eppn"`` or ``"email"``.
            scheduled_at: Award later (timezone-aware, in the future).
            batch_mode: Let edubadges e-mail the awarder a summary.
            skip_existing: Skip learners who already have an unclaimed award.

        Returns:
            The bundle id(s), the rows refused, and learners found already awarded.

        Raises:
            InvalidInputError: Bad arguments, before any request.
            EdubadgesError: A refusal or failure that retries could not resolve.

        Example:
            >>> await client.direct_award("BC_ENTITY_ID", recipients)  # doctest: +SKIP
        """
        return await self._run(
            self._engine.direct_award(
                badgeclass,
                recipients,
                notify=notify,
                identifier_type=identifier_type,
                scheduled_at=scheduled_at,
                batch_mode=batch_mode,
                skip_existing=skip_existing,
            )
        )

    async def bundle(self, bundle_id: str) -> Bundle:
        """Read a direct-award bundle (``GET /directaward/bundle/{id}``).

        Args:
            bundle_id: The bundle's entity id.

        Returns:
            Status counts, the direct awards and the claimed assertions.

        Raises:
            EdubadgesNotFoundError: No such bundle.
            EdubadgesError: Any other refusal or failure.

        Example:
            >>> await client.bundle("BUNDLE_ID")  # doctest: +SKIP
        """
        return await self._run(self._engine.bundle(bundle_id))

    async def delete_direct_awards(self, ids: Sequence[str], reason: str) -> BulkActionResult:
        """Delete unclaimed direct awards (``PUT /directaward/delete-direct-awards``).

        Args:
            ids: Direct award entity ids.
            reason: Why (required).

        Returns:
            What was done, refused, or found already deleted.

        Raises:
            InvalidInputError: ``ids`` or ``reason`` is empty, before any request.
            EdubadgesError: A refusal or failure.

        Example:
            >>> await client.delete_direct_awards(["DA_ID"], "In error")  # doctest: +SKIP
        """
        return await self._run(self._engine.delete_direct_awards(ids, reason))

    async def revoke_assertions(self, ids: Sequence[str], reason: str) -> BulkActionResult:
        """Revoke claimed badges (``POST /issuer/revoke-assertions``).

        Args:
            ids: Assertion entity ids.
            reason: Why (required).

        Returns:
            What was done, or found already revoked during recovery.

        Raises:
            InvalidInputError: ``ids`` or ``reason`` is empty, before any request.
            EdubadgesError: A refusal or failure.

        Example:
            >>> await client.revoke_assertions(["A_ID"], "Fraud")  # doctest: +SKIP
        """
        return await self._run(self._engine.revoke_assertions(ids, reason))

    async def public_badge_class(
        self, entity_id: str, *, expand: Sequence[str] = ("micro",)
    ) -> PublicBadgeClass:
        """Read a public badge class as Open Badges 2.0 JSON (``GET /public/badges/{id}``).

        Args:
            entity_id: The badge class entity id.
            expand: ``expand`` query values (``"micro"`` adds the microcredential fields).

        Returns:
            The BadgeClass.

        Raises:
            EdubadgesNotFoundError: No such badge class, or it is private.
            EdubadgesError: Any other refusal or failure.

        Example:
            >>> await client.public_badge_class("BC_ENTITY_ID")  # doctest: +SKIP
        """
        return await self._run(self._engine.public_badge_class(entity_id, expand))

    async def public_assertion(self, entity_id: str) -> PublicAssertion:
        """Read a public assertion as Open Badges 2.0 JSON (``GET /public/assertions/{id}``).

        Args:
            entity_id: The assertion entity id.

        Returns:
            The Assertion.

        Raises:
            EdubadgesNotFoundError: No such assertion, or it is not public.
            EdubadgesError: Any other refusal or failure.

        Example:
            >>> await client.public_assertion("ASSERTION_ID")  # doctest: +SKIP
        """
        return await self._run(self._engine.public_assertion(entity_id))

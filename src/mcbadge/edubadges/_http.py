"""The sans-I/O core shared by the sync and the async edubadges client.

Every client operation is written once, as a generator that *yields* what it needs done
(:class:`HttpCall` or :class:`Sleep`) and is sent back the outcome (an ``httpx.Response``, the
``httpx.RequestError`` that happened instead, or ``None`` after a sleep). The sync client runs
these generators with ``httpx.Client`` and ``time.sleep``, the async client with
``httpx.AsyncClient`` and ``asyncio.sleep``; retries, token refresh, error mapping and the
direct-award recovery therefore behave identically in both.

Nothing here logs or formats a header, a request body or a token.

Beside it: :mod:`mcbadge.edubadges._inputs` checks what the caller gives before anything is
sent, :mod:`mcbadge.edubadges._responses` turns what the server answers into typed errors and
retry decisions; this module holds the steps, the retry policy, the token handling and the
:class:`Engine` with one generator per operation. May import those two,
:mod:`mcbadge.edubadges.models` and ``errors``, :mod:`mcbadge.errors`, httpx and pydantic.
"""

from __future__ import annotations

import base64
import logging
import random
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from mcbadge.edubadges._inputs import (
    _check_credential,
    _check_recipients,
    _split_existing,
    check_url,
    require_id,
    require_ids,
    require_reason,
)
from mcbadge.edubadges._responses import (
    _describe_exc,
    _is_token_refusal,
    _redact,
    _retry_after,
    _sent_state,
    error_from_response,
    parse_error_body,
)
from mcbadge.edubadges.errors import (
    EdubadgesAuthError,
    EdubadgesPermissionError,
    EdubadgesProtocolError,
    EdubadgesTransportError,
)
from mcbadge.edubadges.models import (
    BadgeClassSummary,
    BulkActionResult,
    Bundle,
    DirectAwardBundleCreated,
    DirectAwardResult,
    IdentifierType,
    IssuerSummary,
    PublicAssertion,
    PublicBadgeClass,
    Recipient,
    UnclaimedDirectAward,
    UnsuccessfulDirectAward,
)
from mcbadge.errors import EdubadgesError, InvalidInputError

logger = logging.getLogger("mcbadge.edubadges")

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

_USER_AGENT = "mcbadge-edubadges-client"


@dataclass(frozen=True, slots=True)
class HttpCall:
    """One HTTP exchange the driver must perform (``url`` is absolute)."""

    method: str
    url: str
    headers: Mapping[str, str]
    label: str
    params: Sequence[tuple[str, str]] = ()
    json_body: Any = None
    form: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Sleep:
    """The driver must wait this many seconds."""

    seconds: float


Step = HttpCall | Sleep
Outcome = httpx.Response | httpx.RequestError | None
Op = Generator[Step, Outcome, T]


class Secret:
    """A string that never shows itself in ``repr()``, ``str()`` or f-strings."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the secret value (only to put it on the wire)."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __format__(self, format_spec: str) -> str:
        return repr(self)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently the client retries.

    Reads (``GET``) are retried on connection errors, timeouts, ``429`` and ``5xx``. Writes are
    repeated only when the request certainly did not reach the server (connection refused,
    ``429``) — after an ambiguous failure the client first checks what the server holds.

    Attributes:
        retries: Extra attempts after the first one (0 disables retrying).
        backoff_base: The first backoff in seconds; it doubles per attempt.
        backoff_max: The longest backoff in seconds.
        retry_after_max: The longest ``Retry-After`` the client waits for; a longer one ends
            the retries with :class:`~mcbadge.edubadges.errors.EdubadgesRateLimitError`.

    Example:
        >>> RetryPolicy(retries=5, backoff_base=0.2).retries
        5
    """

    retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    retry_after_max: float = 120.0

    def __post_init__(self) -> None:
        if not isinstance(self.retries, int) or isinstance(self.retries, bool) or self.retries < 0:
            raise InvalidInputError("retries must be an integer >= 0", field="retries")
        for name in ("backoff_base", "backoff_max", "retry_after_max"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or value < 0:
                raise InvalidInputError(f"{name} must be a number >= 0", field=name)

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Return the wait before retry number ``attempt + 1``: exponential, with jitter.

        Args:
            attempt: 0 for the first retry.
            rng: The random source for the jitter.

        Returns:
            Seconds, between half and all of ``min(backoff_max, backoff_base * 2**attempt)``.

        Example:
            >>> 1.0 <= RetryPolicy(backoff_base=1.0).backoff(1, random.Random(0)) <= 2.0
            True
        """
        ceiling = min(self.backoff_max, self.backoff_base * (2.0 ** min(attempt, 32)))
        return ceiling / 2 + rng.uniform(0.0, ceiling / 2)


class AmbiguousFailure(Exception):  # noqa: N818 - internal control flow, never escapes
    """A write may or may not have been applied; carries the error to raise if unresolved."""

    def __init__(self, error: EdubadgesError) -> None:
        super().__init__(error.message)
        self.error = error


class Engine:
    """Credentials, token cache, retry policy and every operation, without any I/O."""

    def __init__(
        self,
        *,
        base_url: str,
        token: str | None,
        client_id: str | None,
        client_secret: str | None,
        token_url: str | None,
        retries: int | RetryPolicy,
        clock: Callable[[], float],
        rng: random.Random,
    ) -> None:
        self.base_url = check_url(base_url, "base_url")
        oauth = (client_id, client_secret, token_url)
        if token is not None:
            if any(v is not None for v in oauth):
                raise InvalidInputError(
                    "give either token or client_id/client_secret/token_url, not both",
                    field="token",
                )
            self._static: Secret | None = Secret(
                _check_credential(token, "token", header_safe=True)
            )
            self._client_id: str | None = None
            self._client_secret: Secret | None = None
            self._token_url: str | None = None
        else:
            missing = [
                n
                for n, v in zip(("client_id", "client_secret", "token_url"), oauth, strict=True)
                if v is None
            ]
            if len(missing) == 3:
                raise InvalidInputError(
                    "credentials are missing: give token, or client_id, client_secret and "
                    "token_url (OAuth2 client credentials, e.g. SURFconext)",
                    field="token",
                )
            if missing:
                raise InvalidInputError(
                    f"OAuth2 client credentials need {', '.join(missing)} as well",
                    field=missing[0],
                )
            self._static = None
            self._client_id = _check_credential(str(client_id), "client_id", header_safe=False)
            self._client_secret = Secret(
                _check_credential(str(client_secret), "client_secret", header_safe=False)
            )
            self._token_url = check_url(str(token_url), "token_url")
        if isinstance(retries, RetryPolicy):
            self.policy = retries
        else:
            self.policy = RetryPolicy(retries=retries)
        self._clock = clock
        self._rng = rng
        self._access: Secret | None = None
        self._access_valid_until: float | None = None

    # -- description / redaction -------------------------------------------------------------

    def describe_auth(self) -> str:
        """A safe description of the credentials, for ``repr()``."""
        if self._static is not None:
            return "bearer token"
        return f"client credentials (client_id={self._client_id!r})"

    def _redactions(self) -> list[str]:
        values = [self._static, self._client_secret, self._access]
        return [v.reveal() for v in values if v is not None]

    def _url(self, path: str) -> str:
        return self.base_url + path

    # -- tokens ------------------------------------------------------------------------------

    def _bearer(self) -> Op[str]:
        if self._static is not None:
            return self._static.reveal()
        now = self._clock()
        if (
            self._access is not None
            and self._access_valid_until is not None
            and now < self._access_valid_until
        ):
            return self._access.reveal()
        return (yield from self._fetch_token())

    def _fetch_token(self) -> Op[str]:
        client_id = self._client_id or ""
        secret = self._client_secret.reveal() if self._client_secret else ""
        # RFC 6749 section 2.3.1: form-encode id and secret, then HTTP Basic.
        pair = f"{quote(client_id, safe='')}:{quote(secret, safe='')}".encode()
        headers = {
            "Authorization": "Basic " + base64.b64encode(pair).decode("ascii"),
            "Accept": "application/json",
            "User-Agent": _USER_AGENT,
        }
        form = {"grant_type": "client_credentials"}
        url = self._token_url or ""
        attempt = 0
        while True:
            started = self._clock()
            outcome = yield HttpCall("POST", url, headers, label="POST <token endpoint>", form=form)
            if isinstance(outcome, httpx.RequestError):
                state = _sent_state(outcome)
                if state == "fatal" or attempt >= self.policy.retries:
                    raise EdubadgesTransportError(
                        f"token request: {_describe_exc(outcome)}",
                        ambiguous=state == "ambiguous",
                    ) from outcome
                # Asking for a token twice is harmless, so even an ambiguous failure is retried.
                retry_in = self.policy.backoff(attempt, self._rng)
            elif isinstance(outcome, httpx.Response):
                status = outcome.status_code
                if status == 200:
                    return self._accept_token(outcome, started)
                transient = status == 429 or status >= 500
                if not transient or attempt >= self.policy.retries:
                    raise self._token_refused(outcome)
                retry_in = _retry_after(outcome) or self.policy.backoff(attempt, self._rng)
                retry_in = min(retry_in, self.policy.retry_after_max)
            else:  # pragma: no cover - drivers always answer an HttpCall
                raise EdubadgesProtocolError("token request: the driver sent no outcome")
            logger.warning(
                "token request failed; retrying in %.2fs (retry %d of %d)",
                retry_in,
                attempt + 1,
                self.policy.retries,
            )
            yield Sleep(retry_in)
            attempt += 1

    def _token_refused(self, resp: httpx.Response) -> EdubadgesError:
        status = resp.status_code
        if status == 429 or status >= 500:
            return error_from_response(resp, "token request", self._redactions())
        parsed = parse_error_body(resp)
        secrets = self._redactions()
        message = _redact(
            f"the token endpoint refused the client credentials ({status}): {parsed.message}",
            secrets,
        )
        return EdubadgesAuthError(
            message,
            status=status,
            fields={k: [_redact(m, secrets) for m in v] for k, v in parsed.fields.items()},
            server_code=parsed.server_code,
            shape=parsed.shape,
        )

    def _accept_token(self, resp: httpx.Response, started: float) -> str:
        try:
            body = resp.json()
        except ValueError as exc:
            raise EdubadgesAuthError(
                "the token endpoint answered 200 without JSON", status=200
            ) from exc
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token or any(c.isspace() for c in token):
            raise EdubadgesAuthError(
                "the token endpoint's answer has no usable access_token", status=200
            )
        token_type = body.get("token_type", "Bearer")
        if not isinstance(token_type, str) or token_type.lower() != "bearer":
            raise EdubadgesAuthError(
                f"the token endpoint issued a {token_type!r} token; edubadges needs a Bearer token",
                status=200,
            )
        expires_in = body.get("expires_in")
        if isinstance(expires_in, str) and expires_in.strip().isdigit():
            expires_in = int(expires_in)
        lifetime = (
            float(expires_in)
            if isinstance(expires_in, int | float)
            and not isinstance(expires_in, bool)
            and expires_in > 0
            else 300.0  # unknown lifetime: renew after five minutes, and whenever refused
        )
        # Refresh before expiry: a tenth of the lifetime early, at most a minute.
        self._access = Secret(token)
        self._access_valid_until = started + lifetime - min(60.0, lifetime * 0.1)
        logger.debug("obtained an access token valid for %.0fs", lifetime)
        return token

    def _invalidate_token(self) -> None:
        self._access = None
        self._access_valid_until = None

    # -- one request with the retry rules ----------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        safe_to_repeat: bool,
        params: Sequence[tuple[str, str]] = (),
        json_body: Any = None,
        auth: bool = True,
    ) -> Op[httpx.Response]:
        """Send one request, retrying what is safe to retry; return any final response.

        Raises:
            AmbiguousFailure: ``safe_to_repeat`` is false and the request may have been
                processed (timeout or dropped connection after sending, or a 5xx answer).
            EdubadgesError: Retries are exhausted, or the failure cannot be retried.
        """
        url = self._url(path)
        label = f"{method} {path}"
        attempt = 0
        refreshed = False
        while True:
            headers = {"Accept": "application/json", "User-Agent": _USER_AGENT}
            if auth:
                headers["Authorization"] = "Bearer " + (yield from self._bearer())
            outcome = yield HttpCall(
                method, url, headers, label=label, params=tuple(params), json_body=json_body
            )
            error: EdubadgesError
            if isinstance(outcome, httpx.RequestError):
                state = _sent_state(outcome)
                logger.info("%s failed: %s", label, _describe_exc(outcome))
                error = EdubadgesTransportError(
                    f"{operation}: {_describe_exc(outcome)} ({label})",
                    ambiguous=state == "ambiguous",
                )
                if state == "fatal":
                    raise error from outcome
                if state == "ambiguous" and not safe_to_repeat:
                    raise AmbiguousFailure(error) from outcome
                if attempt >= self.policy.retries:
                    raise error from outcome
                retry_in = self.policy.backoff(attempt, self._rng)
                reason = _describe_exc(outcome)
            elif isinstance(outcome, httpx.Response):
                status = outcome.status_code
                reason = f"HTTP {status}"
                logger.debug("%s -> %d (attempt %d)", label, status, attempt + 1)
                if auth and self._static is None and not refreshed and _is_token_refusal(outcome):
                    # The token was refused (revoked, or expired early): fetch a new one, once.
                    refreshed = True
                    self._invalidate_token()
                    logger.info("%s: token refused (%d); fetching a new token", label, status)
                    continue
                if status != 429 and status < 500:
                    return outcome
                error = error_from_response(outcome, operation, self._redactions())
                if status >= 500 and not safe_to_repeat:
                    raise AmbiguousFailure(error)
                wait = _retry_after(outcome)
                if attempt >= self.policy.retries or (
                    wait is not None and wait > self.policy.retry_after_max
                ):
                    raise error
                retry_in = max(self.policy.backoff(attempt, self._rng), wait or 0.0)
            else:  # pragma: no cover - drivers always answer an HttpCall
                raise EdubadgesProtocolError(f"{operation}: the driver sent no outcome")
            logger.warning(
                "%s: %s; retrying in %.2fs (retry %d of %d)",
                label,
                reason,
                retry_in,
                attempt + 1,
                self.policy.retries,
            )
            yield Sleep(retry_in)
            attempt += 1

    # -- answer parsing ----------------------------------------------------------------------

    def _expect(self, resp: httpx.Response, ok: int, operation: str) -> Any:
        if resp.status_code != ok:
            raise error_from_response(resp, operation, self._redactions())
        try:
            return resp.json()
        except ValueError as exc:
            raise EdubadgesProtocolError(
                f"{operation}: edubadges answered {ok} without JSON", status=ok
            ) from exc

    def _model(self, model: type[M], data: Any, operation: str) -> M:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ())) or "(top)"
            raise EdubadgesProtocolError(
                f"{operation}: unexpected answer from edubadges for {model.__name__}: "
                f"{where}: {first.get('msg')}",
            ) from exc

    def _models(self, model: type[M], data: Any, operation: str) -> list[M]:
        if not isinstance(data, list):
            raise EdubadgesProtocolError(
                f"{operation}: expected a JSON list from edubadges, got {type(data).__name__}"
            )
        return [self._model(model, item, operation) for item in data]

    # -- operations --------------------------------------------------------------------------

    def badge_classes(self) -> Op[list[BadgeClassSummary]]:
        """``GET /queries/badge-classes``."""
        resp = yield from self.request(
            "GET", "/queries/badge-classes", operation="badge_classes", safe_to_repeat=True
        )
        data = self._expect(resp, 200, "badge_classes")
        return self._models(BadgeClassSummary, data, "badge_classes")

    def issuers(self) -> Op[list[IssuerSummary]]:
        """``GET /queries/issuers``."""
        resp = yield from self.request(
            "GET", "/queries/issuers", operation="issuers", safe_to_repeat=True
        )
        data = self._expect(resp, 200, "issuers")
        return self._models(IssuerSummary, data, "issuers")

    def direct_awards(
        self, *, status: Literal["unclaimed", "deleted"], badgeclass: str | None
    ) -> Op[list[UnclaimedDirectAward]]:
        """``GET /queries/direct-awards?status=...``, optionally for one badge class."""
        if status not in ("unclaimed", "deleted"):
            raise InvalidInputError("status must be 'unclaimed' or 'deleted'", field="status")
        if badgeclass is not None:
            require_id(badgeclass, "badgeclass")
        resp = yield from self.request(
            "GET",
            "/queries/direct-awards",
            params=(("status", status),),
            operation="direct_awards",
            safe_to_repeat=True,
        )
        data = self._expect(resp, 200, "direct_awards")
        rows = self._models(UnclaimedDirectAward, data, "direct_awards")
        if badgeclass is None:
            return rows
        return [r for r in rows if r.badgeclass_entity_id == badgeclass]

    def direct_award(
        self,
        badgeclass: str,
        recipients: Sequence[Recipient],
        *,
        notify: bool,
        identifier_type: IdentifierType,
        scheduled_at: datetime | None,
        batch_mode: bool,
        skip_existing: bool,
    ) -> Op[DirectAwardResult]:
        """``POST /directaward/create`` without ever awarding a learner twice."""
        require_id(badgeclass, "badgeclass")
        if identifier_type not in ("eppn", "email"):
            raise InvalidInputError(
                f"identifier_type must be 'eppn' or 'email', not {identifier_type!r}",
                field="identifier_type",
            )
        for name, flag in (
            ("notify", notify),
            ("batch_mode", batch_mode),
            ("skip_existing", skip_existing),
        ):
            if not isinstance(flag, bool):
                raise InvalidInputError(f"{name} must be True or False", field=name)
        pending = _check_recipients(recipients, identifier_type)
        when: str | None = None
        if scheduled_at is not None:
            if not isinstance(scheduled_at, datetime) or scheduled_at.utcoffset() is None:
                raise InvalidInputError(
                    "scheduled_at must be a timezone-aware datetime", field="scheduled_at"
                )
            when = scheduled_at.isoformat()
        already: list[UnclaimedDirectAward] = []
        if skip_existing:
            existing = yield from self.direct_awards(status="unclaimed", badgeclass=badgeclass)
            pending, found = _split_existing(pending, existing, identifier_type)
            already.extend(found)
        bundle_ids: list[str] = []
        refused: list[UnsuccessfulDirectAward] = []
        ambiguous = 0
        while pending:
            body: dict[str, Any] = {
                "badgeclass": badgeclass,
                "identifier_type": identifier_type,
                "notify_recipients": notify,
                "batch_mode": batch_mode,
                "scheduled_at": when,
                "direct_awards": [r.to_wire(identifier_type) for r in pending],
            }
            try:
                resp = yield from self.request(
                    "POST",
                    "/directaward/create",
                    json_body=body,
                    operation="direct_award",
                    safe_to_repeat=False,
                )
            except AmbiguousFailure as failure:
                ambiguous += 1
                if ambiguous > self.policy.retries:
                    raise _unresolved(failure.error, ambiguous, len(pending)) from failure
                logger.warning(
                    "%s; checking which of %d learners edubadges already holds",
                    failure.error.message,
                    len(pending),
                )
                yield Sleep(self.policy.backoff(ambiguous - 1, self._rng))
                try:
                    existing = yield from self.direct_awards(
                        status="unclaimed", badgeclass=badgeclass
                    )
                except EdubadgesError as exc:
                    raise EdubadgesTransportError(
                        f"direct_award: the post failed ambiguously ({failure.error.message}) "
                        f"and checking what edubadges holds failed too ({exc.message}); some "
                        "learners may have been awarded: call direct_award again with "
                        "skip_existing=True to continue safely",
                        ambiguous=True,
                        status=getattr(exc, "status", None),
                    ) from exc
                pending, found = _split_existing(pending, existing, identifier_type)
                already.extend(found)
                logger.info(
                    "direct_award: %d learners already held, %d still to award",
                    len(found),
                    len(pending),
                )
                continue
            data = self._expect(resp, 201, "direct_award")
            created = self._model(DirectAwardBundleCreated, data, "direct_award")
            bundle_ids.append(created.entity_id)
            refused.extend(created.un_successful_direct_award)
            break
        return DirectAwardResult(
            badgeclass=badgeclass,
            entity_id=bundle_ids[-1] if bundle_ids else None,
            bundle_ids=tuple(bundle_ids),
            un_successful_direct_award=tuple(refused),
            already_present=tuple(already),
            ambiguous_failures=ambiguous,
        )

    def bundle(self, bundle_id: str) -> Op[Bundle]:
        """``GET /directaward/bundle/{id}``."""
        require_id(bundle_id, "bundle_id")
        resp = yield from self.request(
            "GET",
            f"/directaward/bundle/{quote(bundle_id, safe='')}",
            operation="bundle",
            safe_to_repeat=True,
        )
        data = self._expect(resp, 200, "bundle")
        return self._model(Bundle, data, "bundle")

    def delete_direct_awards(self, ids: Sequence[str], reason: str) -> Op[BulkActionResult]:
        """``PUT /directaward/delete-direct-awards``."""
        id_list = require_ids(ids, "ids")
        why = require_reason(reason)
        body = {"revocation_reason": why, "direct_awards": [{"entity_id": i} for i in id_list]}
        try:
            resp = yield from self.request(
                "PUT",
                "/directaward/delete-direct-awards",
                json_body=body,
                operation="delete_direct_awards",
                safe_to_repeat=False,
            )
        except AmbiguousFailure as failure:
            logger.warning("%s; redoing it one id at a time", failure.error.message)
            return (yield from self._one_by_one("delete", id_list, why))
        data = self._expect(resp, 200, "delete_direct_awards")
        rows = data.get("un_successful_direct_awards", []) if isinstance(data, dict) else []
        return BulkActionResult(
            requested=tuple(id_list),
            un_successful=tuple(
                self._models(UnsuccessfulDirectAward, rows, "delete_direct_awards")
            ),
        )

    def revoke_assertions(self, ids: Sequence[str], reason: str) -> Op[BulkActionResult]:
        """``POST /issuer/revoke-assertions``."""
        id_list = require_ids(ids, "ids")
        why = require_reason(reason)
        body = {"revocation_reason": why, "assertions": [{"entity_id": i} for i in id_list]}
        try:
            resp = yield from self.request(
                "POST",
                "/issuer/revoke-assertions",
                json_body=body,
                operation="revoke_assertions",
                safe_to_repeat=False,
            )
        except AmbiguousFailure as failure:
            logger.warning("%s; redoing it one id at a time", failure.error.message)
            return (yield from self._one_by_one("revoke", id_list, why))
        if resp.status_code != 200 and len(id_list) > 1:
            error = error_from_response(resp, "revoke_assertions", self._redactions())
            error.message += (
                " (edubadges revokes in list order and stops at the first failure: the "
                "assertions listed before it may already be revoked)"
            )
            error.args = (error.message,)
            raise error
        self._expect(resp, 200, "revoke_assertions")
        return BulkActionResult(requested=tuple(id_list))

    def _one_by_one(
        self, action: Literal["delete", "revoke"], ids: Sequence[str], reason: str
    ) -> Op[BulkActionResult]:
        """Redo a delete / revoke per id: repeating one is harmless (it reports "already")."""
        if action == "delete":
            method, path, key, marker = (
                "PUT",
                "/directaward/delete-direct-awards",
                "direct_awards",
                "already been deleted",
            )
        else:
            method, path, key, marker = (
                "POST",
                "/issuer/revoke-assertions",
                "assertions",
                "already revoked",
            )
        operation = "delete_direct_awards" if action == "delete" else "revoke_assertions"
        refused: list[UnsuccessfulDirectAward] = []
        already: list[str] = []
        ambiguous = 1
        for entity_id in ids:
            body = {"revocation_reason": reason, key: [{"entity_id": entity_id}]}
            tries = 0
            while True:
                try:
                    resp = yield from self.request(
                        method, path, json_body=body, operation=operation, safe_to_repeat=False
                    )
                except AmbiguousFailure as failure:
                    ambiguous += 1
                    tries += 1
                    if tries > self.policy.retries:
                        raise failure.error from failure
                    yield Sleep(self.policy.backoff(tries - 1, self._rng))
                    continue
                break
            if resp.status_code == 200:
                data = self._expect(resp, 200, operation) if resp.content else {}
                rows = data.get("un_successful_direct_awards", []) if isinstance(data, dict) else []
                for row in self._models(UnsuccessfulDirectAward, rows, operation):
                    if marker in row.error.lower():
                        already.append(entity_id)
                    else:
                        refused.append(row.model_copy(update={"entity_id": entity_id}))
                continue
            error = error_from_response(resp, operation, self._redactions())
            if resp.status_code == 400 and marker in error.message.lower():
                already.append(entity_id)
            elif resp.status_code == 400 and not isinstance(error, EdubadgesPermissionError):
                refused.append(
                    UnsuccessfulDirectAward(
                        error=parse_error_body(resp).message, entity_id=entity_id
                    )
                )
            else:
                raise error
        return BulkActionResult(
            requested=tuple(ids),
            un_successful=tuple(refused),
            already_done=tuple(already),
            ambiguous_failures=ambiguous,
        )

    def public_badge_class(self, entity_id: str, expand: Sequence[str]) -> Op[PublicBadgeClass]:
        """``GET /public/badges/{id}?expand=...`` (no token is sent)."""
        require_id(entity_id, "entity_id")
        if isinstance(expand, str):
            raise InvalidInputError(
                "expand must be a list of names, e.g. ['micro']", field="expand"
            )
        params = tuple(("expand", require_id(e, "expand")) for e in expand)
        resp = yield from self.request(
            "GET",
            f"/public/badges/{quote(entity_id, safe='')}",
            params=params,
            operation="public_badge_class",
            safe_to_repeat=True,
            auth=False,
        )
        data = self._expect(resp, 200, "public_badge_class")
        return self._model(PublicBadgeClass, data, "public_badge_class")

    def public_assertion(self, entity_id: str) -> Op[PublicAssertion]:
        """``GET /public/assertions/{id}`` (no token is sent)."""
        require_id(entity_id, "entity_id")
        resp = yield from self.request(
            "GET",
            f"/public/assertions/{quote(entity_id, safe='')}",
            operation="public_assertion",
            safe_to_repeat=True,
            auth=False,
        )
        data = self._expect(resp, 200, "public_assertion")
        return self._model(PublicAssertion, data, "public_assertion")


def _unresolved(error: EdubadgesError, attempts: int, pending: int) -> EdubadgesError:
    error.message = (
        f"{error.message}; gave up after {attempts} ambiguous attempts with {pending} learners "
        "not yet confirmed: some may have been awarded, so call direct_award again with "
        "skip_existing=True (it checks what edubadges holds first)"
    )
    error.args = (error.message,)
    return error

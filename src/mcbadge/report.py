"""The verification report: every check :func:`mcbadge.verify.verify` ran, with its outcome.

A :class:`VerificationReport` lists :class:`Check` objects in the order they ran (the OB3
verification order). Each check has a stable ``id`` (``proof[0].signature``, ``valid_until``,
``status``…), a ``status`` of ``"passed"``, ``"failed"`` or ``"skipped"``, a message for a
person and, when it failed, a stable machine ``error_code``. A credential is verified only
when no check failed; a skipped check never makes it fail (the checks that must *fail* when
they cannot be done — status, schema errors, keys that cannot be found — report ``failed``).

:func:`format_report` renders a report as a plain-text table (what ``mcbadge verify`` prints);
:meth:`VerificationReport.to_dict` gives the JSON form (what ``mcbadge verify --json`` prints).

Example:
    >>> report = VerificationReport(
    ...     verified=True, format="di",
    ...     checks=(Check(id="format", status="passed", message="Data Integrity document"),))
    >>> report.to_dict()["checks"][0]["id"], report.failed_checks
    ('format', ())
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final, Literal

if TYPE_CHECKING:
    from mcbadge.summary import CredentialSummary

__all__ = [
    "Check",
    "CheckStatus",
    "CredentialFormat",
    "VerificationReport",
    "VerifiedCredential",
    "VerifiedPresentation",
    "format_report",
]

CheckStatus = Literal["passed", "failed", "skipped"]
"""The outcome of one check."""

CredentialFormat = Literal["di", "di-legacy", "jwt", "jwt-legacy", "vp-di", "sd-jwt", "unknown"]
"""How the input was secured: Data Integrity or VC-JWT (each possibly in its legacy form), or
SD-JWT VC."""

_STATUS_LABEL: Final = {"passed": "ok", "failed": "FAILED", "skipped": "skipped"}
_ID_WIDTH: Final = 24
_TABLE_WIDTH: Final = 100


@dataclass(frozen=True)
class Check:
    """One verification check and its outcome.

    Attributes:
        id: Stable identifier of the check, e.g. ``"proof[0].signature"`` or ``"status"``.
        status: ``"passed"``, ``"failed"`` or ``"skipped"``.
        message: What was checked and what was found, for a person.
        error_code: For a failed check, a stable machine code (``"signature_invalid"``,
            ``"expired"``, ``"revoked"``…); ``None`` otherwise. A skipped check may carry the
            code of the reason (e.g. ``"network_not_allowed"``) in ``details["reason_code"]``.
        details: Structured context (paths, values, problems), JSON-serialisable.
        report: For a check that verified an embedded credential (an endorsement, or a
            credential inside a presentation): that credential's own report.

    Example:
        >>> Check(id="valid_until", status="failed", message="expired",
        ...       error_code="expired").failed
        True
    """

    id: str
    status: CheckStatus
    message: str
    error_code: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    report: VerificationReport | None = None

    @property
    def failed(self) -> bool:
        """Whether this check failed."""
        return self.status == "failed"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: ``id``, ``status``, ``message``, ``error_code``, ``details``.

        Returns:
            A JSON-serialisable dict; ``report`` is added for embedded credentials.

        Example:
            >>> Check(id="format", status="passed", message="VC-JWT").to_dict()["error_code"]
        """
        out: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "message": self.message,
            "error_code": self.error_code,
            "details": {str(k): _jsonable(v) for k, v in self.details.items()},
        }
        if self.report is not None:
            out["report"] = self.report.to_dict()
        return out


@dataclass(frozen=True)
class VerificationReport:
    """The full outcome of verifying a credential (or a presentation).

    Attributes:
        verified: ``True`` only when no check failed.
        format: ``"di"``, ``"di-legacy"``, ``"jwt"``, ``"jwt-legacy"``, ``"vp-di"``, or
            ``"unknown"`` when the input could not be read as either.
        checks: Every check, in the order they ran.
        warnings: Things a person should know that did not make verification fail (a legacy
            format, an unfollowed refresh service, schemas named but not checked…).
        credential: The credential that was verified (for a VC-JWT: the credential inside
            the payload; for an SD-JWT VC: the OB3 view of the disclosed claims), as a JSON
            object; ``None`` when the input could not be read.
        disclosed: For an SD-JWT VC: the paths of the disclosed claims
            (``credentialSubject.result[0]``…); ``None`` for other formats.

    Example:
        >>> VerificationReport(verified=False, format="unknown").to_dict()["verified"]
        False
    """

    verified: bool
    format: CredentialFormat
    checks: tuple[Check, ...] = ()
    warnings: tuple[str, ...] = ()
    credential: Mapping[str, Any] | None = field(default=None, repr=False)
    disclosed: tuple[str, ...] | None = None

    @property
    def failed_checks(self) -> tuple[Check, ...]:
        """The checks that failed (empty when verified)."""
        return tuple(c for c in self.checks if c.status == "failed")

    @property
    def skipped_checks(self) -> tuple[Check, ...]:
        """The checks that were not done, each with its reason in ``message``."""
        return tuple(c for c in self.checks if c.status == "skipped")

    @property
    def issuer_id(self) -> str | None:
        """The issuer id of the credential (or the holder of a presentation), if known."""
        cred = self.credential
        if cred is None:
            return None
        issuer = cred.get("issuer", cred.get("holder"))
        if isinstance(issuer, Mapping):
            issuer = issuer.get("id")
        return issuer if isinstance(issuer, str) else None

    @property
    def credential_id(self) -> str | None:
        """The ``id`` of the credential (or presentation), if it has one."""
        cred = self.credential
        value = cred.get("id") if cred is not None else None
        return value if isinstance(value, str) else None

    @cached_property
    def summary(self) -> CredentialSummary | None:
        """What the credential says (learner, institution, unit, level, size, result…).

        Read from :attr:`credential`, the same JSON the checks ran on; ``None`` for a
        presentation, for a credential that is not Open Badges 3.0, and when the input could
        not be read. It is only as true as :attr:`verified`: when the report did not verify,
        every display must say that these are unverified claims.

        Example:
            >>> VerificationReport(verified=False, format="unknown").summary is None
            True
        """
        if self.credential is None or self.format == "vp-di":
            return None
        from mcbadge.summary import summarize

        return summarize(self.credential)

    def check(self, check_id: str) -> Check | None:
        """Return the check with this id, or ``None`` when it did not run.

        Args:
            check_id: e.g. ``"proof.issuer_binding"``.

        Returns:
            The check, or ``None``.

        Example:
            >>> VerificationReport(verified=True, format="jwt").check("status") is None
            True
        """
        return next((c for c in self.checks if c.id == check_id), None)

    def to_dict(self, *, include_credential: bool = False) -> dict[str, Any]:
        """Return the JSON form (what ``mcbadge verify --json`` prints).

        Args:
            include_credential: Add the verified credential under ``"credential"``.

        Returns:
            ``{"verified", "format", "credential_id", "issuer", "summary", "checks",
            "warnings"}`` (+ ``"credential"``), JSON-serialisable; ``summary`` is what the
            credential says (:attr:`summary`), ``null`` when it is not an OB3 credential.

        Example:
            >>> sorted(VerificationReport(verified=True, format="di").to_dict())
            ['checks', 'credential_id', 'format', 'issuer', 'summary', 'verified', 'warnings']
        """
        summary = self.summary
        out: dict[str, Any] = {
            "verified": self.verified,
            "format": self.format,
            "credential_id": self.credential_id,
            "issuer": self.issuer_id,
            "summary": summary.to_dict() if summary is not None else None,
            "checks": [c.to_dict() for c in self.checks],
            "warnings": list(self.warnings),
        }
        if self.disclosed is not None:
            out["disclosed"] = list(self.disclosed)
        if include_credential:
            out["credential"] = _jsonable(dict(self.credential or {}))
        return out

    def __str__(self) -> str:
        return format_report(self)


@dataclass(frozen=True)
class VerifiedCredential:
    """A credential that verified: what :func:`mcbadge.verify.verify` returns.

    Attributes:
        credential: The credential as a JSON object (for a VC-JWT, the credential inside
            the payload, without the registered claims).
        report: The full report (every check passed or was skipped).
        format: How it was secured (``"di"``, ``"jwt"``, ``"di-legacy"``, ``"jwt-legacy"``).
        issuer_id: The issuer's id.
        disclosed: For an SD-JWT VC, the disclosed claims' paths; ``None`` otherwise.

    Example:
        >>> result = verify(signed)  # doctest: +SKIP
        >>> result.issuer_id, result.legacy  # doctest: +SKIP
        ('did:key:z6Mk…', False)
    """

    credential: Mapping[str, Any]
    report: VerificationReport
    format: CredentialFormat
    issuer_id: str | None
    disclosed: tuple[str, ...] | None = None

    @property
    def summary(self) -> CredentialSummary | None:
        """What the verified credential says (``None`` when it is not Open Badges 3.0)."""
        return self.report.summary

    @property
    def legacy(self) -> bool:
        """Whether the credential uses a legacy (VC 1.1 / ``vc``-claim) form."""
        return self.format.endswith("-legacy")

    @property
    def warnings(self) -> tuple[str, ...]:
        """The report's warnings."""
        return self.report.warnings


@dataclass(frozen=True)
class VerifiedPresentation:
    """A presentation that verified: the holder's proof and every credential in it.

    Attributes:
        presentation: The presentation as a JSON object.
        report: The presentation's report; each ``credential[i]`` check carries the
            credential's own report.
        holder: The holder's id, when the presentation names one.
        credentials: Every credential of the presentation, verified.

    Example:
        >>> vp = verify_presentation(doc, challenge="c-123", domain="hs.nl")  # doctest: +SKIP
        >>> [c.issuer_id for c in vp.credentials]  # doctest: +SKIP
    """

    presentation: Mapping[str, Any]
    report: VerificationReport
    holder: str | None
    credentials: tuple[VerifiedCredential, ...]


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return _jsonable(to_dict())
    return str(value)


def _wrap(text: str, width: int, indent: str) -> list[str]:
    lines = textwrap.wrap(
        text, width=max(width, 20), break_long_words=False, break_on_hyphens=False
    ) or [""]
    return [lines[0], *(indent + line for line in lines[1:])]


def _render(report: VerificationReport, *, depth: int) -> list[str]:
    pad = "    " * depth
    verdict = "VERIFIED" if report.verified else "NOT VERIFIED"
    lines = [f"{pad}{verdict} (format: {report.format})"]
    if report.credential_id is not None:
        lines.append(f"{pad}  credential: {report.credential_id}")
    if report.issuer_id is not None:
        label = "holder" if report.format == "vp-di" else "issuer"
        lines.append(f"{pad}  {label}: {report.issuer_id}")
    if depth == 0 and report.summary is not None:
        lines.append("")
        lines.extend(_summary_lines(report.summary, verified=report.verified))
    lines.append("")
    lines.append(f"{pad}  {'result':<8} {'check':<{_ID_WIDTH}} details")
    lines.append(f"{pad}  {'-' * 8} {'-' * _ID_WIDTH} {'-' * 40}")
    prefix_width = len(pad) + 2 + 8 + 1 + _ID_WIDTH + 1
    for check in report.checks:
        text = check.message
        if check.error_code is not None:
            text = f"[{check.error_code}] {text}"
        wrapped = _wrap(text, _TABLE_WIDTH - prefix_width, " " * prefix_width)
        label = _STATUS_LABEL[check.status]
        check_id = check.id if len(check.id) <= _ID_WIDTH else check.id[: _ID_WIDTH - 1] + "…"
        lines.append(f"{pad}  {label:<8} {check_id:<{_ID_WIDTH}} {wrapped[0]}")
        lines.extend(wrapped[1:])
        if check.report is not None and check.report.failed_checks:
            lines.extend(_render(check.report, depth=depth + 1))
    if report.warnings:
        lines.append("")
        lines.append(f"{pad}  warnings:")
        for warning in report.warnings:
            wrapped = _wrap(warning, _TABLE_WIDTH - len(pad) - 6, pad + "      ")
            lines.append(f"{pad}    - {wrapped[0]}")
            lines.extend(wrapped[1:])
    return lines


def _summary_lines(summary: CredentialSummary, *, verified: bool) -> list[str]:
    from mcbadge.summary import describe

    title = (
        "  what the credential says:"
        if verified
        else "  what the credential claims (NOT VERIFIED: do not rely on it):"
    )
    lines = [title]
    rows = describe(summary)
    width = max((len(label) for label, _ in rows), default=0)
    for label, value in rows:
        wrapped = _wrap(value, _TABLE_WIDTH - width - 6, " " * (width + 6))
        lines.append(f"    {label:<{width}}  {wrapped[0]}")
        lines.extend(wrapped[1:])
    return lines


def format_report(report: VerificationReport) -> str:
    """Render a report as a plain-text table, one row per check.

    Failed rows show the error code in brackets; the report of a failed embedded credential
    (an endorsement, a credential in a presentation) is shown indented below its row.

    Args:
        report: The report to render.

    Returns:
        The table (no trailing newline).

    Example:
        >>> print(format_report(VerificationReport(verified=True, format="jwt", checks=(
        ...     Check(id="format", status="passed", message="VC-JWT (EdDSA)"),))))
        VERIFIED (format: jwt)
        <BLANKLINE>
          result   check                    details
          -------- ------------------------ ----------------------------------------
          ok       format                   VC-JWT (EdDSA)
    """
    return "\n".join(_render(report, depth=0))

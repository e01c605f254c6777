"""The report builder: every check is recorded passed, failed or skipped (with a reason code),
in the order the checks run; an input that cannot be read still gets a full report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mcbadge.errors import (
    McBadgeError,
)
from mcbadge.report import (
    Check,
    CheckStatus,
    CredentialFormat,
    VerificationReport,
)
from mcbadge.verify.common import _CORE_CHECKS, _NOT_READ

# --------------------------------------------------------------------------- report builder


class _Builder:
    def __init__(self) -> None:
        self.checks: list[Check] = []
        self.warnings: list[str] = []

    def add(
        self,
        check_id: str,
        status: CheckStatus,
        message: str,
        *,
        code: str | None = None,
        report: VerificationReport | None = None,
        **details: Any,
    ) -> None:
        self.checks.append(
            Check(
                id=check_id,
                status=status,
                message=message,
                error_code=code if status == "failed" else None,
                details=details,
                report=report,
            )
        )

    def passed(self, check_id: str, message: str, **details: Any) -> None:
        self.add(check_id, "passed", message, **details)

    def failed(self, check_id: str, code: str, message: str, **details: Any) -> None:
        self.add(check_id, "failed", message, code=code, **details)

    def skipped(self, check_id: str, message: str, **details: Any) -> None:
        self.add(check_id, "skipped", message, **details)

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def has(self, check_id: str) -> bool:
        return any(c.id == check_id for c in self.checks)

    def status_of(self, check_id: str) -> CheckStatus | None:
        return next((c.status for c in self.checks if c.id == check_id), None)

    def guard(self, check_id: str, run: Callable[[], None]) -> None:
        """Run one check; any exception becomes a failed check (never escapes)."""
        try:
            run()
        except McBadgeError as exc:
            self.failed(check_id, exc.code, exc.message)
        except Exception as exc:  # a defect or a third-party surprise: report, never raise
            self.failed(
                check_id,
                "internal_error",
                f"the check could not be completed ({type(exc).__name__}: {exc})",
            )

    def build(
        self, *, fmt: CredentialFormat, credential: Mapping[str, Any] | None
    ) -> VerificationReport:
        return VerificationReport(
            verified=not any(c.status == "failed" for c in self.checks),
            format=fmt,
            checks=tuple(self.checks),
            warnings=tuple(self.warnings),
            credential=credential,
        )


# --------------------------------------------------------------------------- credentials


def _unreadable(b: _Builder, code: str, message: str) -> VerificationReport:
    b.failed("format", code, message)
    for check_id in _CORE_CHECKS:
        b.skipped(check_id, _NOT_READ, reason_code="input_unreadable")
    return b.build(fmt="unknown", credential=None)

"""The status check family: ``credentialStatus`` through a status checker (Bitstring Status
List, 1EdTech revocation list, Token Status List), offline unless allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mcbadge.errors import (
    McBadgeError,
    StatusListError,
)
from mcbadge.verify.builder import _Builder
from mcbadge.verify.common import _as_list, _issuer_id
from mcbadge.verify.options import StatusCheckerLike, _Options


def _status_outcome(result: Any) -> tuple[str | None, bool]:
    """Read ``(purpose, bit set)`` from a status checker's result (``purpose``, ``is_set``)."""
    if isinstance(result, Mapping):
        purpose, flag = result.get("purpose"), result.get("is_set", result.get("set"))
    else:
        purpose, flag = getattr(result, "purpose", None), getattr(result, "is_set", None)
    if not isinstance(flag, bool):
        raise StatusListError(
            f"the status checker returned {type(result).__name__}, which does not say whether "
            "the status bit is set (is_set)",
            code="status_unavailable",
        )
    return (purpose if isinstance(purpose, str) else None), flag


def _run_status_check(
    checker: StatusCheckerLike, entry: Mapping[str, Any], credential: Mapping[str, Any]
) -> Any:
    from mcbadge.status import StatusChecker

    if isinstance(checker, StatusChecker):
        credential_id = credential.get("id")
        return checker.check(
            entry,
            expected_issuer=_issuer_id(credential),
            credential_id=credential_id if isinstance(credential_id, str) else None,
        )
    return checker.check(entry)


def _check_status(b: _Builder, credential: Mapping[str, Any], opts: _Options) -> None:
    raw = credential.get("credentialStatus")
    if raw is None:
        b.passed("status", "no credentialStatus: the issuer gave no way to revoke the credential")
        return
    from mcbadge.verify.vcdm import structure_problems

    problems = structure_problems(credential, rules=["status"])
    if problems:
        b.failed(
            "status",
            "status_malformed",
            "; ".join(p.message for p in problems),
            problems=[p.to_dict() for p in problems],
        )
        return
    entries = _as_list(raw)
    kinds = ", ".join(str(e.get("type")) for e in entries)
    if opts.skip_status:
        b.skipped(
            "status", f"skipped by caller ({kinds} not checked)", reason_code="skipped_by_caller"
        )
        b.warn("the credential's status (revocation/suspension) was not checked: skipped by caller")
        return
    checker = opts.status_checker
    if checker is None:
        b.failed(
            "status",
            "status_unavailable",
            f"the credential has a credentialStatus ({kinds}) that cannot be checked: "
            f"{opts.status_unavailable}; pass status_fetcher= or allow_network=True, or "
            "skip_status=True to accept it unchecked",
        )
        return
    found: list[str] = []
    for entry in entries:
        try:
            result = _run_status_check(checker, entry, credential)
            purpose, is_set = _status_outcome(result)
        except McBadgeError as exc:
            b.failed(
                "status",
                exc.code,
                f"the status ({entry.get('type')}) cannot be checked: {exc.message}; "
                "a credential whose status cannot be checked is refused (skip_status=True to "
                "accept it unchecked)",
            )
            return
        except Exception as exc:  # a caller's checker may raise anything: fail closed
            b.failed(
                "status",
                "status_unavailable",
                f"the status checker failed ({type(exc).__name__}: {exc}); refused",
            )
            return
        if is_set and purpose == "revocation":
            b.failed(
                "status", "revoked", "the issuer has revoked the credential", entry=dict(entry)
            )
            return
        if is_set and purpose == "suspension":
            b.failed(
                "status", "suspended", "the issuer has suspended the credential", entry=dict(entry)
            )
            return
        if is_set:
            b.warn(f"the credential's {purpose} status bit is set")
        found.append(f"{purpose or entry.get('type')}: {'set' if is_set else 'not set'}")
    b.passed("status", "; ".join(found))

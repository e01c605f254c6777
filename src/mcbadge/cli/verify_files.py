"""``mcbadge verify`` over many files and folders: the loop, the summary, local status lists.

The loop is one function, :func:`verify_each`, that takes the inputs and yields one
:class:`FileOutcome` per input, in order; with several workers the inputs are verified in
forked processes (the engine of :func:`mcbadge.verify.verify_many`).
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from mcbadge.errors import InvalidInputError, McBadgeError, StatusListError
from mcbadge.net import NetworkPolicy
from mcbadge.report import Check, VerificationReport

__all__ = [
    "FileOutcome",
    "Summary",
    "check_file",
    "cli_text",
    "collect_inputs",
    "local_status_fetcher",
    "verify_each",
]

#: What a folder contributes: files that can hold a credential.
CREDENTIAL_SUFFIXES = frozenset({".json", ".jsonld", ".jwt", ".png", ".svg", ".txt"})
#: Files a batch writes beside the credentials, which are not credentials.
_NOT_CREDENTIALS = frozenset({"mcbadge-summary.json", "mcbadge-batch.jsonl"})


def collect_inputs(paths: Sequence[str]) -> list[str]:
    """The inputs named on the command line: files as given, folders walked recursively.

    A folder contributes, in sorted order, every file whose suffix is one of
    ``.json .jsonld .jwt .png .svg .txt`` — except hidden files and a batch's own
    ``mcbadge-summary.json`` / journal. ``-`` stands for standard input.

    Raises:
        InvalidInputError: a path does not exist (``input_unreadable``).

    Example:
        >>> collect_inputs(["credentials/"])  # doctest: +SKIP
        ['credentials/000001-jan.json', 'credentials/000002-piet.json']
    """
    found: list[str] = []
    for given in paths:
        if given == "-":
            found.append(given)
            continue
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if any(part.startswith(".") for part in relative):
                    continue
                if (
                    child.is_file()
                    and child.suffix.lower() in CREDENTIAL_SUFFIXES
                    and child.name not in _NOT_CREDENTIALS
                ):
                    found.append(str(child))
        elif path.exists():
            found.append(given)
        else:
            raise InvalidInputError(
                f"cannot read {given}: no such file or folder", code="input_unreadable", path=given
            )
    return found


@dataclass(frozen=True)
class FileOutcome:
    """The result for one input: its report, or the error that kept it from being checked.

    Attributes:
        source: The file name (``-`` for standard input).
        report: The verification report; ``None`` when the input could not be read.
        error: The typed error when the input was no credential at all.
    """

    source: str
    report: VerificationReport | None = None
    error: McBadgeError | None = None

    @property
    def verified(self) -> bool:
        """Whether the input verified."""
        return self.report is not None and self.report.verified

    @property
    def codes(self) -> list[str]:
        """The error codes of the failures (the input error's code when unreadable)."""
        if self.error is not None:
            return [self.error.code]
        if self.report is None:
            return []
        return [c.error_code or "failed" for c in self.report.failed_checks]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready line for ``--json``: path, verdict, and the failures."""
        out: dict[str, Any] = {"path": self.source, "verified": self.verified}
        if self.error is not None:
            out["error"] = self.error.to_dict()
        elif self.report is not None:
            out["format"] = self.report.format
            out["issuer"] = self.report.issuer_id
            out["failed"] = [
                {"check": c.id, "code": c.error_code, "message": c.message}
                for c in self.report.failed_checks
            ]
            out["warnings"] = list(self.report.warnings)
        return out


def read_input(source: str) -> bytes:
    """The bytes of one input (``-``: standard input).

    Raises:
        InvalidInputError: the file cannot be read (``input_unreadable``).
    """
    try:
        return sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read {source}: {exc.strerror}", code="input_unreadable"
        ) from exc


def check_file(
    check: Callable[[bytes], VerificationReport], source: str
) -> FileOutcome:  # runs in worker processes too
    """Verify one input; the outcome holds its report or the typed error, never raises."""
    try:
        return FileOutcome(source, report=check(read_input(source)))
    except McBadgeError as exc:
        return FileOutcome(source, error=exc)


def verify_each(
    sources: Iterable[str], check: Callable[[bytes], VerificationReport], *, workers: int = 1
) -> Iterator[FileOutcome]:
    """Verify every input; yield one outcome per input, in order, never raising.

    With ``workers`` above 1 the inputs are verified in that many processes
    (:func:`mcbadge._internal.parallel.ordered_map`: forked, so ``check`` may be a closure);
    standard input (``-``) is always read here.

    Args:
        sources: File names (or ``-``).
        check: Verifies one input's bytes and returns its report (it may raise a
            :class:`~mcbadge.errors.McBadgeError` for input that is no credential).
        workers: Worker processes.

    Yields:
        One :class:`FileOutcome` per input.

    Example:
        >>> outcomes = list(verify_each(["a.json"], verification_report))  # doctest: +SKIP
    """
    from mcbadge._internal.parallel import ordered_map

    names = list(sources)
    if "-" in names:
        workers = 1
    yield from ordered_map(partial(check_file, check), names, workers=workers, chunk_size=32)


@dataclass
class Summary:
    """Counts of a multi-file run, and failures by error code."""

    total: int = 0
    verified: int = 0
    not_verified: int = 0
    unreadable: int = 0
    by_code: Counter[str] | None = None

    def add(self, outcome: FileOutcome) -> None:
        """Count one outcome."""
        if self.by_code is None:
            self.by_code = Counter()
        self.total += 1
        if outcome.verified:
            self.verified += 1
        elif outcome.error is not None:
            self.unreadable += 1
        else:
            self.not_verified += 1
        self.by_code.update(dict.fromkeys(outcome.codes, 1))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: counts and ``failures_by_code`` (files per code, most first)."""
        codes = self.by_code or Counter()
        return {
            "total": self.total,
            "verified": self.verified,
            "not_verified": self.not_verified,
            "unreadable": self.unreadable,
            "failures_by_code": dict(codes.most_common()),
        }

    def lines(self) -> list[str]:
        """The summary for people."""
        out = [
            f"{self.total} file(s): {self.verified} verified, {self.not_verified} not verified, "
            f"{self.unreadable} not a credential"
        ]
        for code, count in (self.by_code or Counter()).most_common():
            out.append(f"  {count:>6}  {code}")
        return out


class ProgressBar:
    """``verified 12/300 (2 failed)`` on one ``\\r`` line of a terminal (stderr)."""

    def __init__(self, stream: TextIO, total: int) -> None:
        self.stream, self.total = stream, total
        self.last = 0.0
        self.shown = False

    def update(self, done: int, failed: int) -> None:
        """Redraw (at most ten times a second, and always at the end)."""
        now = time.monotonic()
        if now - self.last < 0.1 and done < self.total:
            return
        self.last = now
        width = 30
        filled = width * done // max(self.total, 1)
        bar = "#" * filled + "-" * (width - filled)
        extra = f" ({failed} failed)" if failed else ""
        self.stream.write(f"\r[{bar}] {done}/{self.total}{extra}  ")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """End the line."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


# --------------------------------------------------------------------------- --status-list


def parse_status_lists(pairs: Sequence[str]) -> dict[str, Path]:
    """``URL=FILE`` pairs of ``--status-list``.

    Raises:
        InvalidInputError: a pair is malformed or its file does not exist (``invalid_option``).
    """
    out: dict[str, Path] = {}
    for pair in pairs:
        url, sep, file = pair.rpartition("=")
        if not sep or not url or not file or not url.startswith("https://"):
            raise InvalidInputError(
                f"--status-list needs URL=FILE with an https:// URL, got {pair!r}",
                code="invalid_option",
            )
        path = Path(file)
        if not path.is_file():
            raise InvalidInputError(
                f"--status-list {url}: {file} is not a file", code="invalid_option"
            )
        out[url] = path
    return out


def local_status_fetcher(
    lists: Mapping[str, Path], *, allow_network: bool, network: NetworkPolicy | None = None
) -> Callable[[str], Any]:
    """A status fetcher that reads each mapped URL from its local file.

    A URL that is not mapped is fetched over HTTPS when ``allow_network`` is set; otherwise it
    is refused with a message naming ``--status-list`` and ``--allow-network``.

    Example:
        >>> fetch = local_status_fetcher({"https://hs.nl/status/1": Path("list.json")},
        ...                              allow_network=False)  # doctest: +SKIP
    """

    def fetch(url: str) -> Any:
        path = lists.get(url)
        if path is not None:
            try:
                return path.read_bytes()
            except OSError as exc:
                raise StatusListError(
                    f"cannot read {path} (given for {url}): {exc.strerror}",
                    code="status_list_unavailable",
                ) from exc
        if allow_network:
            from mcbadge.status import StatusChecker

            return StatusChecker(allow_network=True, network=network)._http_get(url)
        raise StatusListError(
            f"no local file was given for the status list {url} and network access is off: "
            f"give --status-list {url}=FILE, or --allow-network",
            code="status_unavailable",
            url=url,
        )

    return fetch


# --------------------------------------------------------------------------- CLI wording

_HINTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (
            r"pass status_fetcher= or allow_network=True, or skip_status=True to accept it "
            r"unchecked",
            "give --status-list URL=FILE or --allow-network, or --skip-status to accept it "
            "unchecked",
        ),
        (
            r"pass fetcher=\.\.\. \(or status_fetcher= to verify\) or allow_network=True, or "
            r"explicitly skip the status check",
            "give --status-list URL=FILE or --allow-network, or --skip-status",
        ),
        (r"\(skip_status=True to accept it unchecked\)", "(--skip-status to accept it unchecked)"),
        (
            r"\(to trust the key offline: keys=\{[^}]*\}; CLI: --key VM=KEY\)",
            "(to trust the key offline: --key VM=KEY)",
        ),
        (
            r"pass keys=\{issuer_id: PublicKey\} if you know the issuer's key",
            "give --key ISSUER_ID=KEY if you know the issuer's key",
        ),
        (r"or allow the network\b", "or --allow-network"),
        (r"or pass allow_network=True\.?", "or --allow-network."),
        (
            r"pass Resolver\(allow_network=True\), or give the key with Resolver\(keys=\{vm_url: "
            r"PublicKey\}\)",
            "give --allow-network, or the key with --key VM=KEY",
        ),
        (r" \(or pass the key in keys=\)", " (or give the key with --key VM=KEY)"),
        (
            r"Microcredential\.to_credential\(issuer_id=key\.did_key\)",
            "leave out --issuer-id: it defaults to the key's DID",
        ),
    )
)


def cli_text(message: str) -> str:
    """Reword a library message's hints into the command's flags.

    Example:
        >>> cli_text("refused (skip_status=True to accept it unchecked)")
        'refused (--skip-status to accept it unchecked)'
    """
    if "=" not in message and "allow the network" not in message:
        return message  # every hint pattern holds one of the two: nothing to reword
    for pattern, replacement in _HINTS:
        message = pattern.sub(replacement, message)
    return message


def cli_report(report: VerificationReport) -> VerificationReport:
    """The report with every check message and warning in the command's wording."""

    def check(item: Check) -> Check:
        nested = cli_report(item.report) if item.report is not None else None
        message = cli_text(item.message)
        if nested is item.report and message == item.message:
            return item  # unchanged: no copy (a folder of credentials has many checks)
        return replace(item, message=message, report=nested)

    checks = tuple(check(c) for c in report.checks)
    warnings = tuple(cli_text(w) for w in report.warnings)
    if checks == report.checks and warnings == report.warnings:
        return report
    return replace(report, checks=checks, warnings=warnings)


def print_outcome_line(outcome: FileOutcome, stream: TextIO) -> None:
    """One line per input in a multi-file run: ``ok`` / ``FAIL`` / ``ERROR``, then why."""
    if outcome.verified:
        stream.write(f"ok     {outcome.source}\n")
    elif outcome.error is not None:
        stream.write(
            f"ERROR  {outcome.source}: [{outcome.error.code}] {cli_text(outcome.error.message)}\n"
        )
    else:
        assert outcome.report is not None  # noqa: S101 - not verified means a report
        failed = ", ".join(f"{c.id} ({c.error_code})" for c in outcome.report.failed_checks)
        stream.write(f"FAIL   {outcome.source}: {failed}\n")


def dump_json(value: Any) -> str:
    """Indented JSON, non-ASCII kept."""
    return json.dumps(value, indent=2, ensure_ascii=False)

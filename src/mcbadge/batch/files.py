"""Files a batch run reads and writes: the output folder lock, unit/row documents, atomic
writes and the final fsync, and the output file names a run recognises.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import threading
import tomllib
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from mcbadge._internal.files import fsync_directory as _fsync_dir
from mcbadge.errors import (
    InvalidInputError,
)

if sys.platform != "win32":
    import fcntl

_OUTPUT_RE: Final = re.compile(r"(\d{6,})-[a-z0-9-]*\.(?:json|jwt)", re.ASCII)
_TEMP_RE: Final = re.compile(r"\..+\.\d+(-\d+)?\.tmp", re.ASCII)


# --------------------------------------------------------------------------- files


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on a folder, waiting for it (POSIX; no lock elsewhere).

    The state file itself cannot carry the lock: it is replaced by a rename on every save.
    Locking its folder needs no lock file beside it; the critical sections are short.
    """
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms that cannot open folders
        yield
        return
    try:
        if sys.platform != "win32":
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def read_document(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a JSON or TOML file (by suffix; anything else is read as JSON) into a dict.

    TOML dates and times become RFC 3339 strings; a TOML date-time without an offset stays
    without one, so that using it as a credential date fails with a clear message.

    Args:
        path: The file.

    Returns:
        The top-level object.

    Raises:
        InvalidInputError: ``input_unreadable`` (cannot be read), ``input_not_json`` /
            ``input_not_toml`` (syntax error, with the position), ``input_not_object`` (the
            top level is not an object / table).

    Example:
        >>> read_document("examples/cohort.unit.toml")["unit"]["name"]  # doctest: +SKIP
        'Data Privacy in de Zorg'
    """
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read {source}: {exc.strerror or exc}",
            code="input_unreadable",
            path=str(source),
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"{source} is not UTF-8 text (byte {exc.start})",
            code="input_unreadable",
            path=str(source),
        ) from exc
    data: Any
    if source.suffix.lower() == ".toml":
        try:
            data = _plain_dates(tomllib.loads(text))
        except tomllib.TOMLDecodeError as exc:
            raise InvalidInputError(
                f"{source} is not valid TOML: {exc}", code="input_not_toml", path=str(source)
            ) from exc
    else:
        from mcbadge._internal.jsontext import INPUT_CODES, JsonTextError, loads_strict

        try:
            data = loads_strict(text)
        except JsonTextError as exc:
            raise InvalidInputError(
                f"{source} is not valid JSON: {exc.reason}",
                code=INPUT_CODES.get(exc.kind, "input_not_json"),
                path=str(source),
            ) from exc
    if not isinstance(data, dict):
        raise InvalidInputError(
            f"{source} must hold a JSON object / TOML table at the top level",
            code="input_not_object",
            path=str(source),
        )
    return data


def _plain_dates(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            from mcbadge._internal.dates import format_datetime

            return format_datetime(value)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_dates(v) for v in value]
    return value


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _now_text() -> str:
    from mcbadge._internal.dates import format_datetime

    return format_datetime(datetime.now(UTC).replace(microsecond=0))


def _write_atomic_stream(target: Path, chunks: Iterable[str]) -> None:
    """:func:`write_atomic` for text produced piece by piece (UTF-8; fsync, rename, fsync)."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(chunks)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_dir(target.parent)


def _sync_outputs(out: Path, *, fsync_each_file: bool) -> None:
    """Make every credential file of the run durable before the run reports it."""
    if fsync_each_file:
        return
    sync = getattr(os, "sync", None)
    if callable(sync):
        sync()
        return
    for name in os.listdir(out):  # pragma: no cover - platforms without sync(2)
        if _OUTPUT_RE.fullmatch(name):
            fd = os.open(out / name, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _fsync_dir(out)  # pragma: no cover

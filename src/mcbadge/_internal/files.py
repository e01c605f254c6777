"""Crash-safe file writing, shared by the pinned cache, status list state and batch output."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

__all__ = ["fsync_directory", "write_atomic"]


def fsync_directory(directory: Path) -> None:
    """Make renames in ``directory`` durable (POSIX); a no-op where that is not possible."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - filesystems that refuse directory fsync
        pass
    finally:
        os.close(fd)


def write_atomic(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    mode: int = 0o644,
    durable: bool = True,
    overwrite: bool = True,
) -> None:
    """Write ``data`` to ``path`` so that readers (and a crash) see the old file or the new one.

    The bytes go to a temporary file beside the target (``.NAME.PID-THREAD.tmp``), which is
    fsynced and renamed over the target; then the directory is fsynced so the rename survives
    a power loss. Readers never see a partly written file, durable or not.

    Args:
        path: The target file.
        data: The complete new content.
        mode: Permission bits of the new file (``0o600`` for private keys), set whatever the
            umask.
        durable: Fsync the file and, after the rename, the directory. ``False`` keeps the
            write atomic but leaves flushing to the caller (who syncs many files at once).
        overwrite: ``False`` refuses to replace an existing file (checked atomically).

    Raises:
        OSError: the file cannot be written; ``FileExistsError`` when ``overwrite`` is
            ``False`` and the target exists.

    Example:
        >>> write_atomic("out/credential.json", b"{}")  # doctest: +SKIP
    """
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        try:
            os.fchmod(fd, mode)
        except (AttributeError, OSError):  # pragma: no cover - Windows
            pass
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if durable:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    os.close(fd)
    try:
        if overwrite:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)  # fails with FileExistsError, atomically
            os.unlink(temporary)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if durable:
        fsync_directory(target.parent)

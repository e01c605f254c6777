"""A real, throw-away PostgreSQL server for tests: initdb into a temp dir, pg_ctl start, stop.

It listens only on a unix socket in its own folder (``listen_addresses=''``), so it needs no
TCP port at all. PostgreSQL refuses to run as root: as root the server runs as the
``postgres`` user (which the Debian package creates) via ``runuser``. ``make test`` installs
the Debian ``postgresql`` package when its binaries are missing.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

PG_USER = "postgres"


def pg_bin_dir() -> Path | None:
    """Where initdb and pg_ctl are (Debian: /usr/lib/postgresql/NN/bin), or None."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    return Path(candidates[-1]).parent if candidates else None


class PostgresServer:
    """Start with ``with PostgresServer() as pg: pg.url``; everything is removed afterwards."""

    def __init__(self, *, max_connections: int = 100) -> None:
        bin_dir = pg_bin_dir()
        if bin_dir is None:
            raise RuntimeError(
                "PostgreSQL binaries not found: `make test` installs them "
                "(apt-get install postgresql)"
            )
        self.bin_dir = bin_dir
        self.max_connections = max_connections
        self.root = Path(tempfile.mkdtemp(prefix="mcbadge-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "sock"
        self.log = self.root / "server.log"
        self._as_root = os.geteuid() == 0
        self.user = PG_USER if self._as_root else os.environ.get("USER", "postgres")

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self._as_root:
            command = ["runuser", "-u", PG_USER, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    @property
    def url(self) -> str:
        """A libpq URL over the unix socket."""
        return f"postgresql://{self.user}@/postgres?host={self.socket_dir}&port=5432"

    def start(self) -> str:
        self.socket_dir.mkdir()
        if self._as_root:
            shutil.chown(self.root, PG_USER, PG_USER)
            shutil.chown(self.socket_dir, PG_USER, PG_USER)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            self.user,
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        )
        options = (
            f"-k {self.socket_dir} -p 5432 -c listen_addresses='' "
            f"-c max_connections={self.max_connections} -c fsync=on"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        return self.url

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

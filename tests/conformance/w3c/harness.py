"""Run an official W3C conformance suite (mocha) against ``mcbadge serve`` over loopback.

The suites come from ``../shared/w3c-suites`` (read-only, as in CI); ``make w3c-suites`` (a
dependency of ``make test``) copies them into ``build/w3c-suites`` and installs each suite's
npm dependencies from the lock files in ``tests/conformance/w3c/locks``. A test then:

1. starts the service the way ``mcbadge serve`` builds it (the same command-line options,
   through :func:`mcbadge.service.app_from_args`), over HTTPS with a throw-away certificate
   on an ephemeral loopback port (:func:`mcbadge_serve`);
2. writes the suite's ``localConfig.cjs`` naming only that implementation
   (:func:`local_config`), so the suite calls no remote vendor;
3. runs mocha with the JSON reporter (:func:`run_suite`) and asserts that the number of
   *passed* tests equals the suite's full size (:func:`assert_all_passed`): a failed
   ``before all`` hook hides every test under it, so "no failures" is not enough.

Reuse for another suite (the Bitstring Status List suite, the VC API suites)::

    with mcbadge_serve(tmp_path, extra_args=[...]) as service:
        config = local_config(issuers=[issuer(service, tags=[...])], verifiers=[...])
        run = run_suite("vc-api-issuer-test-suite", config, tmp_path)
        assert_all_passed(run, expected_total=28)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT_ROOT

SHARED_SUITES = PROJECT_ROOT.parent / "shared" / "w3c-suites"
SUITES_DIR = PROJECT_ROOT / "build" / "w3c-suites"
KEYS = PROJECT_ROOT / "tests" / "keys"
SETUP_HINT = "make w3c-suites"

MOCHA_TIMEOUT_S = 900
"""Upper bound for one suite run (they take seconds to a minute); a hang fails the test."""


@dataclass(frozen=True)
class Service:
    """A running ``mcbadge serve``: its base URL and the issuer id it signs for."""

    url: str
    issuer_id: str
    ca_file: Path


@dataclass
class SuiteRun:
    """What one mocha run reported (from its JSON reporter)."""

    suite: str
    stats: dict[str, Any]
    passes: list[dict[str, Any]]
    failures: list[dict[str, Any]]
    pending: list[dict[str, Any]]
    command: list[str] = field(default_factory=list)
    stderr: str = ""

    @property
    def passed(self) -> int:
        return len(self.passes)

    def failure_lines(self) -> list[str]:
        """One line per failure: the full title and the error message."""
        lines = []
        for failure in self.failures:
            error = failure.get("err") or {}
            message = str(error.get("message") or error or "").strip().replace("\n", " ")
            lines.append(f"- {failure.get('fullTitle')}: {message[:600]}")
        return lines


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the W3C suites; run `{SETUP_HINT}`)")
    pytest.skip(f"{reason}; run `{SETUP_HINT}`")


def suite_dir(suite: str) -> Path:
    """The installed, writable copy of a suite; skips (fails in CI) when it is not set up."""
    if shutil.which("node") is None:
        _skip_or_fail("node is not installed")
    path = SUITES_DIR / suite
    if not (SHARED_SUITES / suite).is_dir():
        _skip_or_fail(f"the W3C suite {suite} is not in {SHARED_SUITES}")
    if not (path / "node_modules" / "mocha").is_dir():
        _skip_or_fail(f"the W3C suite {suite} is not installed in {path}")
    return path


@contextmanager
def mcbadge_serve(
    directory: Path,
    *,
    key_file: Path = KEYS / "ed25519.pem",
    extra_args: Sequence[str] = (),
) -> Iterator[Service]:
    """Run the service as ``mcbadge serve --key KEY --certfile … --keyfile … EXTRA`` builds it.

    The application comes from the ``serve`` command's own argument parser and
    :func:`~mcbadge.service.app_from_args`; it runs in a background thread over HTTPS with a
    throw-away CA and certificate for 127.0.0.1, on a port the OS chooses.
    """
    from mcbadge.service import BackgroundServer, app_from_args, build_parser_serve
    from tests.integration.test_service import _tls_files

    ca_file, cert_file, tls_key_file = _tls_files(directory)
    parser = argparse.ArgumentParser(prog="mcbadge")
    build_parser_serve(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        [
            "serve",
            "--key",
            os.fspath(key_file),
            "--certfile",
            os.fspath(cert_file),
            "--keyfile",
            os.fspath(tls_key_file),
            "--port",
            "0",
            "--log-level",
            "warning",
            *extra_args,
        ]
    )
    app = app_from_args(args)
    with BackgroundServer(
        app, certfile=args.certfile, keyfile=args.keyfile, log_level=args.log_level
    ) as server:
        yield Service(url=server.url, issuer_id=str(app.state.issuer_id), ca_file=ca_file)


def endpoint(
    service: Service,
    path: str,
    *,
    tags: Sequence[str],
    options: Mapping[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One issuer/verifier entry of ``localConfig.cjs`` for the running service."""
    entry: dict[str, Any] = {
        "id": service.issuer_id,
        "endpoint": service.url + path,
        "tags": list(tags),
        **extra,
    }
    if options is not None:
        entry["options"] = dict(options)
    return entry


def local_config(**endpoints: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A ``localConfig.cjs`` object naming only mcbadge (issuers=…, verifiers=…, …)."""
    implementation: dict[str, Any] = {"name": "mcbadge", "implementation": "mcbadge"}
    implementation.update({name: [dict(e) for e in entries] for name, entries in endpoints.items()})
    return {
        "settings": {"enableInteropTests": False, "testAllImplementations": False},
        "implementations": [implementation],
    }


def run_suite(
    suite: str,
    config: Mapping[str, Any],
    out_dir: Path,
    *,
    service: Service | None = None,
    env: Mapping[str, str] | None = None,
    mocha_args: Sequence[str] = (),
) -> SuiteRun:
    """Write ``localConfig.cjs`` and run the suite's mocha tests with the JSON reporter."""
    directory = suite_dir(suite)
    (directory / "localConfig.cjs").write_text(
        "// written by tests/conformance/w3c/harness.py for one run\n"
        f"module.exports = {json.dumps(config, indent=2)};\n",
        encoding="utf-8",
    )
    report = out_dir / f"{suite}.mocha.json"
    report.unlink(missing_ok=True)
    command = [
        "node",
        "node_modules/mocha/bin/mocha.js",
        "tests/",
        "--timeout",
        "15000",
        "--preserve-symlinks",
        "--reporter",
        "json",
        "--reporter-option",
        f"output={report}",
        *mocha_args,
    ]
    run_env = {**os.environ, "NODE_NO_WARNINGS": "1", **(env or {})}
    if service is not None:
        run_env["NODE_EXTRA_CA_CERTS"] = os.fspath(service.ca_file)
    completed = subprocess.run(
        command,
        cwd=directory,
        env=run_env,
        capture_output=True,
        text=True,
        timeout=MOCHA_TIMEOUT_S,
        check=False,
    )
    if not report.is_file():
        pytest.fail(
            f"mocha wrote no report for {suite} (exit {completed.returncode}):\n"
            f"{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
        )
    data = json.loads(report.read_text(encoding="utf-8"))
    return SuiteRun(
        suite=suite,
        stats=data.get("stats", {}),
        passes=data.get("passes", []),
        failures=data.get("failures", []),
        pending=data.get("pending", []),
        command=command,
        stderr=completed.stderr,
    )


def assert_all_passed(
    run: SuiteRun, expected_total: int, *, exceptions: Mapping[str, int] | None = None
) -> None:
    """Every one of the suite's ``expected_total`` tests passed (hidden tests count as failed).

    ``exceptions`` names the tests that are documented not to pass (docs/conformance.md quotes
    the specification text that wins): a failing or pending test's full title, mapped to how
    many of the suite's tests it accounts for (1 for a test; for a failing ``before all`` hook,
    the number of tests it hides). Any other failure fails; so does a documented exception
    that no longer happens (the documentation must then be updated).
    """
    documented = dict(exceptions or {})
    not_passed = [*run.failures, *run.pending]
    titles = {str(t.get("fullTitle")) for t in not_passed}
    unexpected = [
        f"- {t.get('fullTitle')}" for t in not_passed if t.get("fullTitle") not in documented
    ]
    stale = sorted(set(documented) - titles)
    expected_passed = expected_total - sum(documented.values())
    summary = (
        f"{run.suite}: {run.passed}/{expected_total} passed "
        f"({len(run.failures)} failed, {len(run.pending)} pending, "
        f"{run.stats.get('tests', '?')} run; {sum(documented.values())} documented exceptions)"
    )
    print(summary)
    for line in run.failure_lines():
        print(line)
    problems = []
    if run.passed != expected_passed:
        problems.append(f"expected {expected_passed} passed, got {run.passed}")
    if unexpected:
        problems.append("not documented:\n" + "\n".join(unexpected))
    if stale:
        problems.append("documented exceptions that no longer happen:\n" + "\n".join(stale))
    if problems:
        pytest.fail(f"{summary}\n" + "\n".join(problems), pytrace=False)

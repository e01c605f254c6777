"""The ``mcbadge`` parser and dispatch: one command group per module of :mod:`mcbadge.cli`.

Exit codes: 0 success, 1 a check failed (e.g. not verified), 2 usage or input error,
130 interrupted (run the command again to resume).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Final

from mcbadge.cli import cache, demo, images, issuing, keys, offers, serve, status, verifying
from mcbadge.cli.common import EXIT_INTERRUPTED, CommandParser
from mcbadge.errors import McBadgeError

__all__ = ["COMMANDS", "dispatch", "main"]

_MAIN_EPILOG: Final = """\
a tour (all offline):
  mcbadge keygen --out issuer.pem                       # prints the issuer's did:key
  mcbadge status create --url https://hs.nl/status/1 --out status.json
  mcbadge issue cohort.csv --key issuer.pem --out credentials/ \\
      --status-state status.json --workers 4            # cohort.unit.toml describes the unit
  mcbadge status publish status.json --key issuer.pem --out status-1.json
  mcbadge verify credentials/000001-jan-jansen.json --skip-status
  mcbadge render credentials/000001-jan-jansen.json --out jan.svg
  mcbadge status revoke status.json --credential credentials/000001-jan-jansen.json
  mcbadge offer cohort.csv --data-dir data/ --public-url https://badges.hs.nl \\
      --key issuer.pem --out offers/                    # QR codes for the learners' wallets

exit codes: 0 ok, 1 a check failed, 2 usage or input error, 130 interrupted.
Every command takes --json for machine-readable output; see 'mcbadge COMMAND --help'.
"""

# The commands whose runs a Ctrl-C interrupts with exit code 130 (see dispatch).
_RUNNERS: Final[dict[str, Callable[[argparse.Namespace], int]]] = {
    "keygen": keys.run_keygen,
    "issue": issuing.run_issue,
    "offer": offers.run_offer,
    "status": status.run_status,
    "did-web": keys.run_did_web,
    "bake": images.run_bake,
    "unbake": images.run_unbake,
    "render": images.run_render,
}

COMMANDS: Final = frozenset(_RUNNERS)
"""The commands :func:`dispatch` runs (``demo``, ``cache``, ``verify``, ``serve`` aside)."""


def _parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog="mcbadge",
        description="Issue and verify Dutch microcredentials as Open Badges 3.0 credentials.",
        epilog=_MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # the order of `mcbadge --help`
    demo.register_demo(sub)
    cache.register_cache(sub)
    verifying.register_verify(sub)
    keys.register_keygen(sub)
    issuing.register_issue(sub)
    offers.register_offer(sub)
    status.register_status(sub)
    keys.register_did_web(sub)
    images.register_images(sub)
    serve.register_serve(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Example:
        >>> main(["demo", "--out", "/tmp/demo"])  # doctest: +SKIP
        0
    """
    args = _parser().parse_args(argv)
    try:
        return _main(args)
    except BrokenPipeError:  # e.g. "mcbadge verify x.json | head": not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _main(args: argparse.Namespace) -> int:
    try:
        if args.command == "demo":
            return demo.run_demo(args)
        if args.command == "cache":
            return cache.run_cache(args)
        if args.command == "verify":
            return verifying.run_verify(args)
        if args.command == "serve":
            return serve.run_serve(args)
        if args.command in COMMANDS:
            return dispatch(args)
    except McBadgeError as exc:
        if args.json:
            print(json.dumps({"error": exc.to_dict()}), file=sys.stderr)
        else:
            from mcbadge.cli.verify_files import cli_text

            print(f"mcbadge: error [{exc.code}]: {cli_text(exc.message)}", file=sys.stderr)
        return 2
    return 2  # pragma: no cover - argparse enforces a known command


def dispatch(args: argparse.Namespace) -> int:
    """Run the command ``args.command`` (one of :data:`COMMANDS`); return the exit code.

    :class:`~mcbadge.errors.McBadgeError` is left to the caller (:func:`main` prints it and
    exits 2). A second Ctrl-C during ``issue`` exits 130 at once; the journal keeps the batch
    resumable.

    Raises:
        McBadgeError: a usage, input or runtime error; ``code`` says which.

    Example:
        >>> dispatch(_parser().parse_args(["keygen", "--out", "k.pem"]))  # doctest: +SKIP
        0
    """
    try:
        return _RUNNERS[args.command](args)
    except KeyboardInterrupt:
        print("mcbadge: interrupted; run the same command again to resume", file=sys.stderr)
        return EXIT_INTERRUPTED

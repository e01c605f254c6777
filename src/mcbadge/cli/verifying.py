"""``mcbadge verify``: a credential (JSON, VC-JWT, baked image) or a presentation."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

# --- mcbadge verify ---------------------------------------------------------------------------

# From this many inputs on, `mcbadge verify` uses every CPU unless --workers says otherwise
# (forking workers costs ~50 ms; a few files are faster in one process).
_PARALLEL_FROM = 64


def register_verify(sub: Any) -> None:
    verify = sub.add_parser(
        "verify",
        help="verify a credential (Data Integrity JSON, VC-JWT or baked image) or a presentation",
        description="Verify a credential and print the report. Exit code 0 verified, 1 not "
        "verified, 2 usage or input error. Offline unless --allow-network.",
    )
    verify.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="credential files and folders (searched recursively for .json .jsonld .jwt .png "
        ".svg .txt), or - to read standard input",
    )
    verify.add_argument(
        "--status-list",
        action="append",
        default=[],
        metavar="URL=FILE",
        help="read the status list credential of URL from the local FILE (repeatable), so "
        "revocation is checked offline",
    )
    verify.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print the report as JSON ({'verified': ..., 'checks': [...]})",
    )
    verify.add_argument(
        "--key",
        action="append",
        default=[],
        metavar="VM=PUBLIC_KEY",
        help="trust PUBLIC_KEY (multibase 'z6Mk...', JWK JSON, or @file holding either) for "
        "the verification method VM (repeatable); for a JWT without kid/jwk use the issuer id",
    )
    verify.add_argument(
        "--trusted-issuer",
        action="append",
        default=None,
        metavar="ID",
        help="accept only credentials from this issuer id (repeatable)",
    )
    verify.add_argument(
        "--allow-network",
        action="store_true",
        help="allow HTTPS fetches (did:web, HTTPS keys, pinned schemas, status lists)",
    )
    verify.add_argument(
        "--allow-address",
        action="append",
        default=None,
        metavar="ADDR",
        help="with --allow-network: a non-public address or network the fetches may reach, "
        "e.g. a status list server inside the institution (10.20.0.0/16; repeatable)",
    )
    verify.add_argument(
        "--skip-status",
        action="store_true",
        help="do not check credentialStatus (the report says it was skipped)",
    )
    verify.add_argument("--recipient", metavar="VALUE", help="the expected recipient identifier")
    verify.add_argument(
        "--recipient-type",
        metavar="TYPE",
        help="the identityType --recipient must match (e.g. emailAddress); default: any",
    )
    verify.add_argument(
        "--at",
        metavar="DATETIME",
        help="verify as of this time (default: now), e.g. 2030-01-01T00:00:00Z",
    )
    verify.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="verify many files in N processes (default: one per CPU from "
        f"{_PARALLEL_FROM} files on)",
    )
    verify.add_argument("--challenge", help="the challenge a presentation's proof must carry")
    verify.add_argument("--domain", help="the domain a presentation's proof must carry")


def _read_key(text: str) -> Any:
    from mcbadge.errors import InvalidInputError
    from mcbadge.keys import PublicKey

    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInputError(
                f"cannot read the key file {text[1:]}: {exc.strerror}", code="key_file_unreadable"
            ) from exc
    text = text.strip()
    if text.startswith("{"):
        from mcbadge._internal.jsontext import JsonTextError, loads_strict

        try:
            jwk = loads_strict(text)
        except JsonTextError as exc:
            raise InvalidInputError(
                f"the JWK is not JSON: {exc.reason}", code="key_invalid"
            ) from exc
        return PublicKey.from_jwk(jwk)
    return PublicKey.from_multikey(text)


def _verify_keys(pairs: Sequence[str]) -> dict[str, Any]:
    from mcbadge.errors import InvalidInputError

    keys: dict[str, Any] = {}
    for pair in pairs:
        vm, sep, key_text = pair.partition("=")
        if not sep or not vm or not key_text:
            raise InvalidInputError(
                f"--key needs VM=PUBLIC_KEY, got {pair!r}", code="invalid_option"
            )
        keys[vm] = _read_key(key_text)
    return keys


def run_verify(args: argparse.Namespace) -> int:
    from mcbadge.cli import verify_files as vf
    from mcbadge.errors import InvalidInputError
    from mcbadge.net import policy_allowing
    from mcbadge.report import VerificationReport, format_report
    from mcbadge.verify import presentation_report, verification_report

    sources = vf.collect_inputs(args.paths)
    single = len(args.paths) == 1 and len(sources) == 1 and not Path(args.paths[0]).is_dir()
    clock = _fixed_clock(args.at) if args.at is not None else None
    recipient: str | tuple[str, str] | None = args.recipient
    if args.recipient_type is not None:
        if args.recipient is None:
            raise InvalidInputError("--recipient-type needs --recipient", code="invalid_option")
        recipient = (args.recipient_type, args.recipient)
    keys = _verify_keys(args.key)
    lists = vf.parse_status_lists(args.status_list)
    network = policy_allowing(args.allow_address, allow_network=args.allow_network)
    fetcher = (
        vf.local_status_fetcher(lists, allow_network=args.allow_network, network=network)
        if lists
        else None
    )
    options: dict[str, Any] = {
        "keys": keys,
        "trusted_issuers": args.trusted_issuer,
        "skip_status": args.skip_status,
        "allow_network": args.allow_network,
        "network": network,
        "clock": clock,
        "expected_recipient": recipient,
        "status_fetcher": fetcher,
    }

    def check(data: bytes) -> VerificationReport:
        if _is_presentation(data):
            report = presentation_report(
                data, challenge=args.challenge, domain=args.domain, **options
            )
        else:
            report = verification_report(data, **options)
        return vf.cli_report(report)

    if single:
        report = check(vf.read_input(sources[0]))
        if args.json:
            print(vf.dump_json(report.to_dict()))
        else:
            print(format_report(report))
        return 0 if report.verified else 1
    if not sources:
        raise InvalidInputError(
            "no credential files found in " + ", ".join(args.paths), code="input_unreadable"
        )
    if args.workers is not None and args.workers < 1:
        raise InvalidInputError("--workers must be at least 1", code="invalid_option")
    from mcbadge._internal.parallel import default_workers

    workers = args.workers or (default_workers() if len(sources) >= _PARALLEL_FROM else 1)
    summary = vf.Summary()
    results: list[dict[str, Any]] = []
    bar = vf.ProgressBar(sys.stderr, len(sources)) if sys.stderr.isatty() else None
    try:
        for outcome in vf.verify_each(sources, check, workers=workers):
            summary.add(outcome)
            if args.json:
                results.append(outcome.to_dict())
            else:
                if bar is not None and bar.shown:
                    sys.stderr.write("\r\033[K")
                vf.print_outcome_line(outcome, sys.stdout)
                sys.stdout.flush()
            if bar is not None:
                bar.update(summary.total, summary.total - summary.verified)
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        print(vf.dump_json({"summary": summary.to_dict(), "results": results}))
    else:
        print("\n".join(summary.lines()))
    return 0 if summary.verified == summary.total else 1


def _fixed_clock(text: str) -> Callable[[], datetime]:
    from mcbadge._internal.dates import DateTimeSyntaxError, parse_datetime
    from mcbadge.errors import InvalidInputError

    try:
        moment = parse_datetime(text)
    except DateTimeSyntaxError as exc:
        raise InvalidInputError(f"--at: {exc}", code="invalid_option") from exc

    def clock() -> datetime:
        return moment

    return clock


def _is_presentation(data: bytes) -> bool:
    from mcbadge._internal.jsontext import loads_strict

    # strict: a document a strict reader refuses is not sent down the presentation path on
    # the strength of one of its duplicated members (the credential path then gives the code)
    try:
        doc = loads_strict(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return False
    types = doc.get("type") if isinstance(doc, dict) else None
    return "VerifiablePresentation" in (types if isinstance(types, list) else [types])

"""``mcbadge status``: create, revoke/suspend/reinstate, publish and show a status list."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcbadge._internal.jsontext import loads_strict
from mcbadge.cli.common import (
    EXIT_OK,
    add_command,
    credential_document,
    load_key,
    password_flag,
    print_json,
    read_credential,
    write_output,
)
from mcbadge.errors import InvalidInputError, StatusListError

if TYPE_CHECKING:
    from mcbadge.batch import StatusListState


def register_status(sub: Any) -> None:
    p = add_command(
        sub,
        "status",
        help="status lists: create, revoke, suspend, reinstate, publish, show",
        description="Keep a Bitstring Status List in a state file and publish it signed. "
        "'issue --status-state FILE' gives every credential an index in it.",
        epilog="examples:\n"
        "  mcbadge status create --url https://hs-voorbeeld.nl/status/1 --out status.json\n"
        "  mcbadge status revoke status.json --credential credentials/000007-piet.json\n"
        "  mcbadge status revoke status.json 94567 1200\n"
        "  mcbadge status publish status.json --key issuer.pem --out public/status/1",
    )
    actions = p.add_subparsers(dest="status_command", required=True, metavar="ACTION")
    create = add_command(
        actions,
        "create",
        help="create a new, empty status list state",
        description="Create a status list state file for the list published at URL.",
        epilog="example:\n  mcbadge status create --url https://hs-voorbeeld.nl/status/1 "
        "--out status.json",
    )
    create.add_argument("--url", required=True, help="where the signed list will be published")
    create.add_argument("--out", required=True, type=Path, metavar="FILE", help="state file")
    create.add_argument(
        "--purpose",
        choices=("revocation", "suspension"),
        default="revocation",
        help="revocation (default, permanent) or suspension (reversible)",
    )
    create.add_argument(
        "--length", type=int, metavar="N", help="entries (default and minimum 131072)"
    )
    for name, what in (
        ("revoke", "revoke credentials (permanent; a revocation list)"),
        ("suspend", "suspend credentials (a suspension list)"),
        ("reinstate", "lift suspensions (a suspension list)"),
    ):
        action = add_command(
            actions,
            name,
            help=what,
            description=f"{what[0].upper()}{what[1:]}: by index or by credential file. Then "
            "publish the list again ('status publish').",
            epilog=f"examples:\n  mcbadge status {name} status.json 94567\n"
            f"  mcbadge status {name} status.json --credential out/000001-jan-jansen.json",
        )
        action.add_argument("state", type=Path, nargs="?", help="the state file")
        action.add_argument("index", nargs="*", type=int, help="status list indexes")
        action.add_argument(
            "--credential",
            action="append",
            default=[],
            type=Path,
            metavar="FILE",
            help="a credential (JSON, JWT or baked image) on this list (repeatable)",
        )
        _store_status_options(action, change=True)
    publish = add_command(
        actions,
        "publish",
        help="sign the status list credential to publish at its URL",
        description="Write the signed BitstringStatusListCredential; serve it at the list's URL "
        "and publish again after every change.",
        epilog="example:\n"
        "  mcbadge status publish status.json --key issuer.pem --out status-1.json",
    )
    publish.add_argument("state", type=Path, help="the state file")
    publish.add_argument("--key", required=True, type=Path, metavar="FILE", help="signing key")
    password_flag(publish)
    publish.add_argument("--out", required=True, type=Path, metavar="FILE", help="output file")
    publish.add_argument("--format", choices=("di", "jwt"), default="di", help="proof format")
    publish.add_argument("--issuer-id", metavar="ID", help="issuer id (default: the key's DID)")
    publish.add_argument("--verification-method", metavar="URL", help="the key's URL")
    publish.add_argument(
        "--valid-until", metavar="DATETIME", help="end of validity, e.g. 2027-01-01T00:00:00Z"
    )
    publish.add_argument("--ttl", type=int, metavar="MS", help="cache time for verifiers (ms)")
    show = add_command(
        actions,
        "show",
        help="show a state: URL, purpose, indexes used and set",
        description="Print what a status list state holds.",
        epilog="example:\n  mcbadge status show status.json --json",
    )
    show.add_argument("state", type=Path, nargs="?", help="the state file")
    _store_status_options(show, change=False)
    migrate = add_command(
        actions,
        "migrate",
        help="import state files into the service's store",
        description="Import status list state files into the store of 'mcbadge serve' "
        "(--data-dir or --database): the service then keeps, changes and serves those lists. "
        "The files are not changed.",
        epilog="example:\n  mcbadge status migrate status.json --data-dir /var/lib/mcbadge",
    )
    migrate.add_argument("states", nargs="+", type=Path, metavar="STATE", help="state files")
    _store_status_options(migrate, change=False)


def _store_status_options(parser: Any, *, change: bool) -> None:
    from mcbadge.cli.status_store import add_store_options

    add_store_options(parser)
    if change:
        parser.add_argument(
            "--credential-id",
            action="append",
            metavar="ID",
            help="with a store: the id of a credential the service issued (repeatable)",
        )
        parser.add_argument("--list", metavar="URL", help="with a store: the list of INDEX…")
        parser.add_argument("--reason", help="with a store: why (kept with the change)")


# --------------------------------------------------------------------------- status


def run_status(args: argparse.Namespace) -> int:
    from mcbadge.cli import status_store

    action = args.status_command
    if action == "migrate":
        return status_store.run_migrate(args)
    if status_store.uses_store(args):
        if action == "show":
            return status_store.run_store_show(args)
        if action in ("revoke", "suspend", "reinstate"):
            return status_store.run_store_change(args, action)
    if action in ("revoke", "suspend", "reinstate", "show") and args.state is None:
        raise InvalidInputError(
            f"status {action}: give the state file, or the store (--data-dir / --database)",
            code="invalid_option",
        )
    if action == "create":
        return _status_create(args)
    if action == "publish":
        return _status_publish(args)
    if action == "show":
        return _status_show(args)
    return _status_change(args, action)


def _status_create(args: argparse.Namespace) -> int:
    from urllib.parse import urlsplit

    from mcbadge.batch import StatusListState

    parts = urlsplit(args.url)
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise InvalidInputError(
            f"--url {args.url!r} is not an https:// URL: verifiers fetch status lists only over "
            "HTTPS (a list served over plain HTTP could be swapped on the way)",
            code="status_url_not_https",
            url=args.url,
        )
    state = StatusListState.create(args.url, purpose=args.purpose, length=args.length)
    write_output(args.out, state.to_json().encode("utf-8"), overwrite=False)
    info = {
        "state": str(args.out),
        "url": state.url,
        "purpose": state.purpose,
        "length": state.status_list.length,
    }
    if args.json:
        print_json(info)
    else:
        print(
            f"created {args.out}: a {state.purpose} list of {state.status_list.length} entries "
            f"for {state.url}"
        )
    return EXIT_OK


def _credential_indexes(path: Path, state: StatusListState) -> list[int]:
    document = credential_document(read_credential(path))
    entries = document.get("credentialStatus")
    found: list[int] = []
    for item in entries if isinstance(entries, list) else [entries]:
        if (
            isinstance(item, Mapping)
            and item.get("statusListCredential") == state.url
            and item.get("statusPurpose") == state.purpose
        ):
            try:
                found.append(int(str(item.get("statusListIndex"))))
            except ValueError as exc:
                raise InvalidInputError(
                    f"{path}: statusListIndex {item.get('statusListIndex')!r} is not a number",
                    code="credential_status_invalid",
                ) from exc
    if not found:
        raise InvalidInputError(
            f"{path} has no {state.purpose} entry on {state.url}",
            code="credential_not_on_list",
            path=str(path),
        )
    return found


def _whose_credential(path: Path) -> dict[str, Any]:
    """Who a credential file is for: the learner's name and, from a batch summary, its row."""
    document = credential_document(read_credential(path))
    subject = document.get("credentialSubject")
    learner: str | None = None
    for item in subject.get("identifier", []) if isinstance(subject, Mapping) else []:
        if (
            isinstance(item, Mapping)
            and item.get("identityType") == "name"
            and item.get("hashed") is False
            and isinstance(item.get("identityHash"), str)
        ):
            learner = item["identityHash"]
            break
    out: dict[str, Any] = {"file": str(path), "learner": learner, "row": None, "line": None}
    summary_path = path.parent / "mcbadge-summary.json"
    try:
        summary = loads_strict(summary_path.read_bytes())
    except (OSError, ValueError):
        return out
    credentials = summary.get("credentials") if isinstance(summary, Mapping) else None
    for entry in credentials if isinstance(credentials, list) else []:
        if isinstance(entry, Mapping) and entry.get("file") == path.name:
            out["row"], out["line"] = entry.get("row"), entry.get("line")
            break
    return out


def _describe_whose(whose: Mapping[str, Any] | None) -> str:
    if whose is None:
        return ""
    learner = whose.get("learner") or "learner not named in the credential"
    row = f", row {whose['row']} (line {whose['line']})" if whose.get("row") else ""
    return f" ({learner}{row}, {whose['file']})"


def _status_change(args: argparse.Namespace, action: str) -> int:
    from mcbadge.batch import StatusListState

    if not args.index and not args.credential:
        raise InvalidInputError(
            f"status {action}: give indexes or --credential FILE", code="invalid_option"
        )
    changed: list[int] = []
    unchanged: list[int] = []
    whose: dict[int, dict[str, Any]] = {}
    with StatusListState.edit(args.state) as state:
        wanted = list(args.index)
        for path in args.credential:
            found = _credential_indexes(path, state)
            wanted.extend(found)
            for index in found:
                whose[index] = _whose_credential(path)
        for index in dict.fromkeys(wanted):
            if not 0 <= index < state.status_list.length or not state.allocator.is_allocated(index):
                raise StatusListError(
                    f"index {index} was never given to a credential on this list",
                    code="status_index_not_allocated",
                    index=index,
                )
            before = state.status_list.get(index)
            getattr(state.status_list, action)(index)
            (changed if state.status_list.get(index) != before else unchanged).append(index)
        url = state.url
    info = {
        "state": str(args.state),
        "url": url,
        "action": action,
        "changed": changed,
        "unchanged": unchanged,
        "credentials": [{"index": index, **whose[index]} for index in wanted if index in whose],
    }
    if args.json:
        print_json(info)
    else:
        done = {"revoke": "revoked", "suspend": "suspended", "reinstate": "reinstated"}[action]
        for index in changed:
            print(f"{done} index {index}{_describe_whose(whose.get(index))}")
        for index in unchanged:
            print(f"index {index}{_describe_whose(whose.get(index))} was {done} already")
        print(
            f"publish the list again: mcbadge status publish {args.state} --key KEY --out FILE",
            file=sys.stderr,
        )
    return EXIT_OK


def _status_publish(args: argparse.Namespace) -> int:
    from mcbadge.batch import StatusListState, signing_identity
    from mcbadge.issue import issue
    from mcbadge.status import status_list_credential

    state = StatusListState.load(args.state)
    key = load_key(args.key, password_env=args.password_env)
    issuer, vm = signing_identity(
        key,
        format=args.format,
        issuer_id=args.issuer_id,
        verification_method=args.verification_method,
    )
    unsigned = status_list_credential(
        state.status_list,
        id=state.url,
        issuer=issuer,
        valid_until=args.valid_until,
        ttl=args.ttl,
    )
    if args.format == "jwt":
        data = (issue(unsigned, key, format="jwt", verification_method=vm) + "\n").encode()
    else:
        signed = issue(unsigned, key, verification_method=vm)
        data = (json.dumps(signed, indent=2) + "\n").encode("utf-8")
    write_output(args.out, data)
    info = {
        "out": str(args.out),
        "url": state.url,
        "purpose": state.purpose,
        "issuer": issuer,
        "format": args.format,
        "set": len(state.status_list.nonzero_indexes()),
    }
    if args.json:
        print_json(info)
    else:
        print(f"wrote {args.out}: publish it at {state.url}")
    return EXIT_OK


def _status_show(args: argparse.Namespace) -> int:
    from mcbadge.batch import StatusListState

    state = StatusListState.load(args.state)
    set_indexes = state.status_list.nonzero_indexes()
    info = {
        "state": str(args.state),
        "url": state.url,
        "purpose": state.purpose,
        "length": state.status_list.length,
        "allocated": state.allocator.allocated_count,
        "remaining": state.allocator.remaining,
        "set": set_indexes,
    }
    if args.json:
        print_json(info)
    else:
        print(f"{state.url} ({state.purpose}, {state.status_list.length} entries)")
        print(f"  indexes given to credentials: {state.allocator.allocated_count}")
        print(
            f"  set ({'revoked' if state.purpose == 'revocation' else 'suspended'}): "
            f"{', '.join(map(str, set_indexes)) or 'none'}"
        )
    return EXIT_OK

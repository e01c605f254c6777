"""``mcbadge issue``: one credential, or a cohort file (resumable batch with a progress bar)."""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO

from mcbadge.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    add_command,
    load_key,
    password_flag,
    print_json,
    write_output,
)
from mcbadge.cli.issue_store import add_issue_store_options, check_issue_store_options
from mcbadge.cli.status_store import uses_store
from mcbadge.errors import InvalidInputError

if TYPE_CHECKING:
    from mcbadge.batch import BatchProgress, BatchResult
    from mcbadge.keys import KeyPair

_COHORT_SUFFIXES: Final = (".csv", ".tsv", ".jsonl", ".ndjson")
_CREDENTIAL_FIELDS: Final = ("id", "valid_from", "valid_until", "awarded_date")


def register_issue(sub: Any) -> None:
    p = add_command(
        sub,
        "issue",
        help="issue a microcredential, or a whole cohort (CSV/JSONL), signed",
        description="Sign one microcredential (a JSON or TOML file: the Microcredential fields "
        "plus optional id, valid_from, valid_until, awarded_date) or a cohort: a CSV or JSONL "
        "file with one learner per row and the unit described once in NAME.unit.toml (or "
        "--unit). A cohort run keeps a journal in DIR: if it stops (Ctrl-C, kill -9, power "
        "loss), run the same command again and it resumes: every row is issued exactly once "
        "and no status list index is used twice. Rows that fail are reported with their row "
        "and line number while the others are issued (exit code 1).",
        epilog="examples:\n"
        "  mcbadge issue jan.json --key issuer.pem --out credentials/\n"
        "  mcbadge issue cohort.csv --key issuer.pem --out credentials/ --workers 4\n"
        "  mcbadge issue cohort.jsonl --unit dpz-01.unit.toml --key issuer.pem --out out/ \\\n"
        "      --status-state status.json --policy hbo-wo --json\n"
        "  mcbadge issue cohort.csv --key hs.pem --verification-method "
        "did:web:hs-voorbeeld.nl#key-1 --out out/\n"
        "  mcbadge issue cohort.csv --key p256.pem --format jwt --profile edubadges --out out/\n"
        "  mcbadge issue jan.json --key issuer.pem --out out/ --data-dir /var/lib/mcbadge\n"
        "\ncohort columns: name (required), email, student_number, eppn, did, grade, passed,\n"
        "  id, valid_from, valid_until, awarded_date -- see docs/batch.md",
    )
    p.add_argument("input", type=Path, help="microcredential (.json/.toml) or cohort (.csv/.jsonl)")
    p.add_argument("--key", required=True, type=Path, metavar="FILE", help="signing key (PEM)")
    password_flag(p)
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")
    p.add_argument("--unit", type=Path, metavar="FILE", help="the cohort's unit file")
    p.add_argument(
        "--format",
        choices=("di", "jwt"),
        default="di",
        help="di: Data Integrity proof, .json files (default); jwt: VC-JWT, .jwt files",
    )
    p.add_argument(
        "--cryptosuite",
        choices=("eddsa-rdfc-2022", "eddsa-jcs-2022"),
        default="eddsa-rdfc-2022",
        help="Data Integrity cryptosuite (default eddsa-rdfc-2022)",
    )
    p.add_argument(
        "--profile",
        choices=("ob3", "edubadges"),
        default="ob3",
        help="ob3 (default) or edubadges (SURF's context; needs --format jwt)",
    )
    p.add_argument(
        "--policy",
        choices=("hbo-wo", "mbo", "eu", "none"),
        help="policy rules to check (default: hbo-wo for ECTS, mbo for SBU)",
    )
    p.add_argument("--issuer-id", metavar="ID", help="issuer id (default: the key's DID)")
    p.add_argument(
        "--verification-method",
        metavar="URL",
        help="the key's URL, e.g. did:web:hs.nl#key-1 (the issuer defaults to its DID)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="signing processes for a cohort (default 1)",
    )
    p.add_argument(
        "--status-state",
        type=Path,
        metavar="FILE",
        help="status list state (from 'status create'): each credential gets an index",
    )
    p.add_argument(
        "--status-list",
        metavar="URL",
        help="the status list URL; must match the state's (a safety check)",
    )
    add_issue_store_options(p)
    p.add_argument(
        "--fsync-each-file",
        action="store_true",
        help="fsync every credential file as it is written (default: sync once at the end)",
    )


# --------------------------------------------------------------------------- issue


class _ProgressBar:
    """A one-line ``\\r`` progress display on stderr."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.last = 0.0
        self.shown = False

    def __call__(self, progress: BatchProgress) -> None:
        now = time.monotonic()
        if now - self.last < 0.1 and progress.issued + progress.failed < progress.total:
            return
        self.last = now
        rate = progress.rate
        remaining = progress.total - progress.issued
        eta = (
            f"  ETA {int(remaining / rate) // 60}:{int(remaining / rate) % 60:02d}" if rate else ""
        )
        failed = f" ({progress.failed} failed)" if progress.failed else ""
        self.stream.write(
            f"\rissued {progress.issued}/{progress.total}{failed}  {rate:.0f}/s{eta}    "
        )
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def run_issue(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise InvalidInputError("--workers must be 1 or more", code="invalid_option")
    check_issue_store_options(args)
    if args.status_list is not None and args.status_state is None:
        raise InvalidInputError(
            "--status-list needs --status-state FILE (create it with 'mcbadge status create')",
            code="invalid_option",
        )
    if args.status_state is not None and args.status_list is not None:
        from mcbadge.batch import StatusListState

        state = StatusListState.load(args.status_state)
        if state.url != args.status_list:
            raise InvalidInputError(
                f"--status-list {args.status_list} does not match the state's URL {state.url}",
                code="invalid_option",
            )
    key = load_key(args.key, password_env=args.password_env)
    if args.input.suffix.lower() in _COHORT_SUFFIXES:
        return _issue_cohort(args, key)
    return _issue_single(args, key)


def _issue_cohort(args: argparse.Namespace, key: KeyPair) -> int:
    from mcbadge.batch import StoreStatus, issue_batch, load_cohort, signing_identity

    cohort = load_cohort(args.input, unit=args.unit)
    status_store: StoreStatus | None = None
    if uses_store(args):
        from mcbadge.cli.issue_store import store_status

        issuer, vm = signing_identity(
            key,
            format=args.format,
            issuer_id=args.issuer_id,
            verification_method=args.verification_method,
        )
        status = store_status(args, key=key, verification_method=vm, issuer_id=issuer)
        status_store = StoreStatus(
            status.store, status.purposes[0], status.list_url, status.list_length
        )
    bar = _ProgressBar(sys.stderr) if not args.json and sys.stderr.isatty() else None
    try:
        result = issue_batch(
            cohort,
            key,
            out_dir=args.out,
            format=args.format,
            cryptosuite=args.cryptosuite,
            profile=args.profile,
            policy=args.policy,
            issuer_id=args.issuer_id,
            verification_method=args.verification_method,
            status_state=args.status_state,
            status_store=status_store,
            workers=args.workers,
            progress=bar,
            fsync_each_file=args.fsync_each_file,
        )
    finally:
        if bar is not None:
            bar.close()
        if status_store is not None:
            status_store.store.close()
    if args.json:
        print_json(result.to_dict())
    else:
        _print_batch(result)
    if result.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_OK if result.ok else EXIT_CHECK_FAILED


def _print_batch(result: BatchResult) -> None:
    before = len(result.issued) - result.issued_this_run
    print(
        f"issued {len(result.issued)} of {result.rows} row(s) into {result.out_dir} "
        f"({result.issued_this_run} this run, {before} before; batch {result.batch_id})"
    )
    for error in result.errors:
        print(
            f"row {error.row} (line {error.line}): error [{error.code}]: {error.message}",
            file=sys.stderr,
        )
    if result.interrupted:
        print(
            "interrupted: run the same command again to issue the remaining rows",
            file=sys.stderr,
        )
    elif result.stopped_after_last_row:
        print(
            f"interrupted after the last row: all {result.rows} row(s) were handled before "
            "the stop, nothing is left to issue",
            file=sys.stderr,
        )
    if result.errors and not result.interrupted:
        print(
            f"{len(result.errors)} row(s) not issued: correct them and run the same command "
            "again (rows already issued are kept)",
            file=sys.stderr,
        )


def _issue_single(args: argparse.Namespace, key: KeyPair) -> int:
    from mcbadge.batch import StatusListState, read_document, signing_identity
    from mcbadge.microcredential import Microcredential

    if args.unit is not None:
        raise InvalidInputError(
            "--unit is for cohorts (.csv, .jsonl); this input is one microcredential",
            code="invalid_option",
        )
    if args.format == "di" and args.profile == "edubadges":
        raise InvalidInputError(
            "the edubadges profile can only be issued as VC-JWT: add --format jwt",
            code="profile_needs_jwt",
        )
    document = read_document(args.input)
    if "learner" not in document:
        raise InvalidInputError(
            f"{args.input} has no learner: a single microcredential needs the Microcredential "
            "fields with a learner. (A unit description goes with a cohort CSV/JSONL: "
            "mcbadge issue cohort.csv --unit FILE ...)",
            code="input_not_microcredential",
        )
    fields = {k: document[k] for k in _CREDENTIAL_FIELDS if k in document}
    for name, value in fields.items():
        if not isinstance(value, str):
            raise InvalidInputError(f"{args.input}: {name} must be a string", code="invalid_input")
    microcredential = Microcredential.from_dict(
        {k: v for k, v in document.items() if k not in _CREDENTIAL_FIELDS}
    )
    issuer, vm = signing_identity(
        key,
        format=args.format,
        issuer_id=args.issuer_id,
        verification_method=args.verification_method,
    )
    credential = microcredential.to_credential(
        id=fields.get("id") or f"urn:uuid:{uuid.uuid4()}",
        valid_from=fields.get("valid_from"),
        valid_until=fields.get("valid_until"),
        awarded_date=fields.get("awarded_date"),
        issuer_id=issuer,
        profile=args.profile,
        policy=args.policy,
    )
    unsigned: dict[str, Any] = credential.to_json_dict()
    extension = "jwt" if args.format == "jwt" else "json"
    target = args.out / f"{args.input.name.rsplit('.', 1)[0]}.{extension}"
    if target.exists():
        raise InvalidInputError(
            f"{target} exists: this microcredential was issued already (remove the file to "
            "issue it again)",
            code="output_exists",
            path=str(target),
        )
    index: int | None = None
    if uses_store(args):
        return _issue_single_store(args, key, unsigned, target, issuer=issuer, vm=vm)
    if args.status_state is not None:
        from mcbadge.status import entry

        with StatusListState.edit(args.status_state) as state:
            index = state.allocator.allocate()
        # the state is saved (durably) before the index is signed into the credential
        unsigned["credentialStatus"] = entry(index, list_url=state.url, purpose=state.purpose)
    text = _sign(args, key, unsigned, vm)
    args.out.mkdir(parents=True, exist_ok=True)
    write_output(target, (text + "\n").encode("utf-8"), overwrite=False)
    return _report_single(args, unsigned, target, issuer, index)


def _sign(args: argparse.Namespace, key: KeyPair, unsigned: dict[str, Any], vm: str) -> str:
    """The signed credential as text: the compact JWT, or the JSON document (indented)."""
    from mcbadge.issue import issue

    if args.format == "jwt":
        return issue(unsigned, key, format="jwt", verification_method=vm)
    signed = issue(unsigned, key, cryptosuite=args.cryptosuite, verification_method=vm)
    return json.dumps(signed, indent=2, ensure_ascii=False)


def _report_single(
    args: argparse.Namespace,
    unsigned: dict[str, Any],
    target: Path,
    issuer: str,
    index: int | None,
    statuses: list[dict[str, Any]] | None = None,
) -> int:
    info: dict[str, Any] = {
        "out": str(target),
        "id": unsigned["id"],
        "format": args.format,
        "issuer": issuer,
        "status_list_index": index,
    }
    if statuses is not None:
        info["credentialStatus"] = statuses
    if args.json:
        print_json(info)
    else:
        print(f"issued {unsigned['id']} -> {target}")
    return EXIT_OK


def _issue_single_store(
    args: argparse.Namespace,
    key: KeyPair,
    unsigned: dict[str, Any],
    target: Path,
    *,
    issuer: str,
    vm: str,
) -> int:
    """Allocate from the service's store, sign, log the issuance, then write the file.

    The allocation is durable before signing (a crash wastes the indexes, never reuses
    them) and the credential is in the issuance log before its file is written, as the
    service logs before it answers.
    """
    from mcbadge.cli.issue_store import store_status

    status = store_status(args, key=key, verification_method=vm, issuer_id=issuer)
    with status.store:
        issuance_id, with_status = status.allocate(unsigned)
        text = _sign(args, key, with_status, vm)
        status.record(issuance_id, with_status, text, args.format)
    args.out.mkdir(parents=True, exist_ok=True)
    write_output(target, (text + "\n").encode("utf-8"), overwrite=False)
    entries = with_status["credentialStatus"]
    statuses = entries if isinstance(entries, list) else [entries]
    index = int(statuses[0]["statusListIndex"])
    return _report_single(args, with_status, target, issuer, index, statuses)

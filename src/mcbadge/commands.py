"""The ``mcbadge`` subcommands: keys, issuing, status lists, did:web, baking and certificates.

:func:`register` adds ``keygen``, ``issue``, ``status``, ``did-web``, ``bake``, ``unbake`` and
``render`` to the ``mcbadge`` parser; :func:`dispatch` runs them. Every command prints for
people by default and JSON with ``--json``; exit codes are 0 (success), 1 (a check failed:
some cohort rows were not issued), 2 (usage or input error, printed as
``mcbadge: error [code]: message``) and 130 (interrupted; run the command again to resume).

Example:
    >>> from mcbadge.cli import main
    >>> main(["keygen", "--out", "issuer.pem"])  # doctest: +SKIP
    did:key:z6Mk...
    0
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NoReturn, TextIO

from mcbadge._internal.jsontext import INPUT_CODES, JsonTextError, loads_strict
from mcbadge.errors import InvalidInputError, KeyFormatError, StatusListError

if TYPE_CHECKING:
    from mcbadge.batch import BatchProgress, BatchResult, StatusListState
    from mcbadge.keys import KeyPair, KeyType, PublicKey

__all__ = ["COMMANDS", "CommandParser", "dispatch", "load_key", "register"]

COMMANDS: Final = frozenset({"keygen", "issue", "status", "did-web", "bake", "unbake", "render"})
"""The commands this module registers and :func:`dispatch` runs."""

EXIT_OK: Final = 0
EXIT_CHECK_FAILED: Final = 1
EXIT_INTERRUPTED: Final = 130

_KEY_TYPES: Final[dict[str, KeyType]] = {"ed25519": "Ed25519", "p256": "P-256", "rsa": "RSA"}
_COHORT_SUFFIXES: Final = (".csv", ".tsv", ".jsonl", ".ndjson")
_CREDENTIAL_FIELDS: Final = ("id", "valid_from", "valid_until", "awarded_date")


class CommandParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage errors read ``mcbadge: error [usage]: ...`` (exit 2).

    Example:
        >>> CommandParser(prog="mcbadge").parse_args(["--nope"])  # doctest: +SKIP
        mcbadge: error [usage]: unrecognized arguments: --nope
    """

    def error(self, message: str) -> NoReturn:
        """Print the usage and the message in mcbadge's error format; exit with status 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"mcbadge: error [usage]: {message} (see '{self.prog} --help')\n")


# --------------------------------------------------------------------------- registration

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

exit codes: 0 ok, 1 a check failed, 2 usage or input error, 130 interrupted.
Every command takes --json for machine-readable output; see 'mcbadge COMMAND --help'.
"""


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="machine-readable output (JSON on stdout; errors as JSON on stderr)",
    )


def _password_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-env",
        metavar="VAR",
        help="read the key file's password from environment variable VAR",
    )


def _add(sub: Any, name: str, *, help: str, description: str, epilog: str) -> Any:  # noqa: A002
    parser = sub.add_parser(
        name,
        help=help,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _json_flag(parser)
    return parser


def register(parser: argparse.ArgumentParser, sub: Any) -> None:
    """Add this module's commands to the ``mcbadge`` parser and its subparsers.

    Args:
        parser: The top-level parser (its epilog gets a short tour).
        sub: The object ``parser.add_subparsers()`` returned.

    Example:
        >>> parser = CommandParser(prog="mcbadge")
        >>> register(parser, parser.add_subparsers(dest="command"))
    """
    parser.epilog = _MAIN_EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    _register_keygen(sub)
    _register_issue(sub)
    _register_status(sub)
    _register_did_web(sub)
    _register_images(sub)


def _register_keygen(sub: Any) -> None:
    p = _add(
        sub,
        "keygen",
        help="generate a signing key (PKCS#8 PEM) and print its did:key",
        description="Generate a signing key and write it as a PKCS#8 PEM file readable only by "
        "you (mode 0600). Prints the key's did:key (Ed25519, P-256) or, for RSA, its JWK "
        "thumbprint (RSA keys sign VC-JWTs; publish them with did-web).",
        epilog="examples:\n"
        "  mcbadge keygen --out issuer.pem\n"
        "  MCBADGE_KEY_PASSWORD=s3cret mcbadge keygen --type p256 --out issuer.pem "
        "--password-env MCBADGE_KEY_PASSWORD\n"
        "  mcbadge keygen --type rsa --out rsa.pem --json",
    )
    p.add_argument(
        "--type",
        choices=sorted(_KEY_TYPES),
        default="ed25519",
        help="key type (default ed25519; Data Integrity proofs need ed25519)",
    )
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="the PEM file to write")
    _password_flag(p)
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")


def _register_issue(sub: Any) -> None:
    p = _add(
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
        "\ncohort columns: name (required), email, student_number, eppn, did, grade, passed,\n"
        "  id, valid_from, valid_until, awarded_date -- see docs/batch.md",
    )
    p.add_argument("input", type=Path, help="microcredential (.json/.toml) or cohort (.csv/.jsonl)")
    p.add_argument("--key", required=True, type=Path, metavar="FILE", help="signing key (PEM)")
    _password_flag(p)
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
    p.add_argument(
        "--fsync-each-file",
        action="store_true",
        help="fsync every credential file as it is written (default: sync once at the end)",
    )


def _register_status(sub: Any) -> None:
    p = _add(
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
    create = _add(
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
        action = _add(
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
    publish = _add(
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
    _password_flag(publish)
    publish.add_argument("--out", required=True, type=Path, metavar="FILE", help="output file")
    publish.add_argument("--format", choices=("di", "jwt"), default="di", help="proof format")
    publish.add_argument("--issuer-id", metavar="ID", help="issuer id (default: the key's DID)")
    publish.add_argument("--verification-method", metavar="URL", help="the key's URL")
    publish.add_argument(
        "--valid-until", metavar="DATETIME", help="end of validity, e.g. 2027-01-01T00:00:00Z"
    )
    publish.add_argument("--ttl", type=int, metavar="MS", help="cache time for verifiers (ms)")
    show = _add(
        actions,
        "show",
        help="show a state: URL, purpose, indexes used and set",
        description="Print what a status list state holds.",
        epilog="example:\n  mcbadge status show status.json --json",
    )
    show.add_argument("state", type=Path, nargs="?", help="the state file")
    _store_status_options(show, change=False)
    migrate = _add(
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


def _register_did_web(sub: Any) -> None:
    p = _add(
        sub,
        "did-web",
        help="write the did.json to host for a did:web issuer",
        description="Build the DID document of did:web:DOMAIN[:PATH] listing the keys (public "
        "parts only) and write it to FILE; host it at the URL printed.",
        epilog="examples:\n"
        "  mcbadge did-web --domain hs-voorbeeld.nl --key issuer.pem --out did.json\n"
        "  mcbadge did-web --domain hs-voorbeeld.nl --path issuers/fdi --key a.pem --key b.pem "
        "--out did.json",
    )
    p.add_argument("--domain", required=True, help="host name (optionally :port)")
    p.add_argument("--path", help="optional path, e.g. issuers/fdi")
    p.add_argument(
        "--key",
        required=True,
        action="extend",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="keys (private or public PEM), in order #key-1, #key-2, ...; --key may repeat",
    )
    _password_flag(p)
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="the did.json to write")


def _register_images(sub: Any) -> None:
    bake = _add(
        sub,
        "bake",
        help="bake a credential into a PNG or SVG image",
        description="Embed a signed credential (JSON or VC-JWT) in a PNG (iTXt chunk "
        "'openbadgecredential') or an SVG (<openbadges:credential>), as OB3 specifies.",
        epilog="example:\n"
        "  mcbadge bake badge.png credentials/000001-jan-jansen.json --out jan.png",
    )
    bake.add_argument("image", type=Path, help="PNG or SVG image")
    bake.add_argument("credential", type=Path, help="signed credential (JSON or JWT)")
    bake.add_argument("--out", required=True, type=Path, metavar="FILE", help="baked image")
    bake.add_argument("--replace", action="store_true", help="replace a credential already baked")
    unbake = _add(
        sub,
        "unbake",
        help="take the credential out of a baked PNG or SVG",
        description="Print (or write) the credential baked into an image. Verify it before "
        "trusting it: 'mcbadge verify IMAGE'.",
        epilog="examples:\n  mcbadge unbake jan.png\n  mcbadge unbake certificate.svg --out c.json",
    )
    unbake.add_argument("image", type=Path, help="PNG or SVG image")
    unbake.add_argument("--out", type=Path, metavar="FILE", help="write the credential here")
    render = _add(
        sub,
        "render",
        help="draw a certificate SVG with the credential baked in",
        description="Render a printable certificate (learner, unit, institution, NLQF, ECTS/SBU, "
        "learning outcomes, result) as SVG, with the signed credential baked in.",
        epilog="example:\n  mcbadge render credentials/000001-jan-jansen.json --out jan.svg "
        "--lang en",
    )
    render.add_argument("credential", type=Path, help="signed credential (JSON, JWT or image)")
    render.add_argument("--out", required=True, type=Path, metavar="FILE", help="SVG to write")
    render.add_argument("--lang", choices=("nl", "en"), default="nl", help="language (nl)")
    render.add_argument(
        "--public-url",
        metavar="URL",
        help="where the issuer's mcbadge serve is reached: adds the link to its verify page "
        "for this credential (URL/verify?id=...) and its QR code",
    )


# --------------------------------------------------------------------------- helpers


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _password(var: str | None) -> str | None:
    if var is None:
        return None
    value = os.environ.get(var)
    if not value:
        raise InvalidInputError(
            f"--password-env {var}: the environment variable {var} is not set or empty",
            code="password_env_unset",
        )
    return value


def _read_bytes(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read the {what} {path}: {exc.strerror or exc}",
            code="input_unreadable",
            path=str(path),
        ) from exc


def load_key(path: Path, *, password_env: str | None = None) -> KeyPair:
    """Read a private key file: PEM (PKCS#8, PKCS#1, SEC1; encrypted or not) or a private JWK.

    Raises:
        InvalidInputError: the file cannot be read, or the password variable is unset.
        KeyFormatError: not a private key, or a wrong or missing password.

    Example:
        >>> load_key(Path("issuer.pem")).key_type  # doctest: +SKIP
        'Ed25519'
    """
    from mcbadge.keys import KeyPair

    data = _read_bytes(path, "key file")
    password = _password(password_env)
    if data.lstrip().startswith(b"{"):
        try:
            jwk = json.loads(data)
        except ValueError as exc:
            raise KeyFormatError(f"{path}: not a JWK (invalid JSON: {exc})") from exc
        return KeyPair.from_jwk(jwk)
    try:
        return KeyPair.from_pem(data, password)
    except KeyFormatError as exc:
        hint = "" if password_env else " (an encrypted key needs --password-env VAR)"
        raise KeyFormatError(f"{path}: {exc.message}{hint}", code=exc.code) from exc


def _public_key(path: Path, password_env: str | None) -> KeyPair | PublicKey:
    from mcbadge.keys import PublicKey

    data = _read_bytes(path, "key file")
    if b"PUBLIC KEY" in data:
        try:
            return PublicKey.from_pem(data)
        except KeyFormatError as exc:
            raise KeyFormatError(f"{path}: {exc.message}", code=exc.code) from exc
    return load_key(path, password_env=password_env)


def _write_output(path: Path, data: bytes, *, mode: int = 0o644, overwrite: bool = True) -> None:
    from mcbadge.batch import write_atomic

    try:
        if path.parent != Path():
            path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, mode=mode, overwrite=overwrite)
    except FileExistsError as exc:
        raise InvalidInputError(
            f"{path} exists; choose another name (or --force where offered)",
            code="output_exists",
            path=str(path),
        ) from exc
    except OSError as exc:
        raise InvalidInputError(
            f"cannot write {path}: {exc.strerror or exc}", code="output_unwritable", path=str(path)
        ) from exc


def _read_credential(path: Path) -> dict[str, Any] | str:
    """A credential from a file: JSON, a compact JWS, or a baked PNG/SVG."""
    from mcbadge.bake import unbake

    data = _read_bytes(path, "credential")
    head = data.lstrip()[:5]
    if data.startswith(b"\x89PNG") or head.startswith((b"<?xml", b"<svg", b"<!--")):
        return unbake(data)
    try:
        text = data.decode("utf-8-sig").strip()
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"{path} is not a credential (not UTF-8 text, PNG or SVG)", code="input_unrecognized"
        ) from exc
    if text.startswith("{"):
        try:
            doc = loads_strict(text)
        except JsonTextError as exc:
            raise InvalidInputError(
                f"{path} is not valid JSON: {exc.reason}",
                code=INPUT_CODES.get(exc.kind, "input_not_json"),
            ) from exc
        if not isinstance(doc, dict):
            raise InvalidInputError(f"{path} is not a JSON object", code="input_not_object")
        return doc
    if text.count(".") == 2 and " " not in text:
        return text
    raise InvalidInputError(
        f"{path} is not a credential (JSON, compact JWS, PNG or SVG)", code="input_unrecognized"
    )


def _credential_document(credential: dict[str, Any] | str) -> Mapping[str, Any]:
    if isinstance(credential, dict):
        return credential
    from mcbadge.jwt import parse_credential_jwt

    return parse_credential_jwt(credential).credential


# --------------------------------------------------------------------------- keygen


def _run_keygen(args: argparse.Namespace) -> int:
    from mcbadge.keys import KeyPair

    key = KeyPair.generate(_KEY_TYPES[args.type])
    password = _password(args.password_env)
    _write_output(args.out, key.to_pem(password), mode=0o600, overwrite=args.force)
    info: dict[str, Any] = {
        "out": str(args.out),
        "type": key.key_type,
        "algorithm": key.algorithm,
        "encrypted": password is not None,
        "jwk_thumbprint": key.jwk_thumbprint(),
        "did": None,
        "verification_method": None,
        "public_key_multibase": None,
    }
    if key.key_type != "RSA":
        info["did"] = key.did_key
        info["verification_method"] = key.did_key_verification_method
        info["public_key_multibase"] = key.public_key.to_multikey()
    if args.json:
        _print_json(info)
    else:
        print(info["did"] or info["jwk_thumbprint"])
        print(f"wrote {args.out} ({key.key_type}, PKCS#8 PEM, mode 0600)", file=sys.stderr)
    return EXIT_OK


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


def _run_issue(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise InvalidInputError("--workers must be 1 or more", code="invalid_option")
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
    from mcbadge.batch import issue_batch, load_cohort

    cohort = load_cohort(args.input, unit=args.unit)
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
            workers=args.workers,
            progress=bar,
            fsync_each_file=args.fsync_each_file,
        )
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        _print_json(result.to_dict())
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
    elif result.errors:
        print(
            f"{len(result.errors)} row(s) not issued: correct them and run the same command "
            "again (rows already issued are kept)",
            file=sys.stderr,
        )


def _issue_single(args: argparse.Namespace, key: KeyPair) -> int:
    from mcbadge.batch import StatusListState, read_document, signing_identity
    from mcbadge.issue import issue
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
    if args.status_state is not None:
        from mcbadge.status import entry

        with StatusListState.edit(args.status_state) as state:
            index = state.allocator.allocate()
        # the state is saved (durably) before the index is signed into the credential
        unsigned["credentialStatus"] = entry(index, list_url=state.url, purpose=state.purpose)
    data: bytes
    if args.format == "jwt":
        data = (issue(unsigned, key, format="jwt", verification_method=vm) + "\n").encode()
    else:
        signed = issue(unsigned, key, cryptosuite=args.cryptosuite, verification_method=vm)
        data = (json.dumps(signed, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    args.out.mkdir(parents=True, exist_ok=True)
    _write_output(target, data, overwrite=False)
    info = {
        "out": str(target),
        "id": unsigned["id"],
        "format": args.format,
        "issuer": issuer,
        "status_list_index": index,
    }
    if args.json:
        _print_json(info)
    else:
        print(f"issued {unsigned['id']} -> {target}")
    return EXIT_OK


# --------------------------------------------------------------------------- status


def _run_status(args: argparse.Namespace) -> int:
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
    from mcbadge.batch import StatusListState

    state = StatusListState.create(args.url, purpose=args.purpose, length=args.length)
    _write_output(args.out, state.to_json().encode("utf-8"), overwrite=False)
    info = {
        "state": str(args.out),
        "url": state.url,
        "purpose": state.purpose,
        "length": state.status_list.length,
    }
    if args.json:
        _print_json(info)
    else:
        print(
            f"created {args.out}: a {state.purpose} list of {state.status_list.length} entries "
            f"for {state.url}"
        )
    return EXIT_OK


def _credential_indexes(path: Path, state: StatusListState) -> list[int]:
    document = _credential_document(_read_credential(path))
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


def _status_change(args: argparse.Namespace, action: str) -> int:
    from mcbadge.batch import StatusListState

    if not args.index and not args.credential:
        raise InvalidInputError(
            f"status {action}: give indexes or --credential FILE", code="invalid_option"
        )
    changed: list[int] = []
    unchanged: list[int] = []
    with StatusListState.edit(args.state) as state:
        wanted = list(args.index)
        for path in args.credential:
            wanted.extend(_credential_indexes(path, state))
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
    }
    if args.json:
        _print_json(info)
    else:
        done = {"revoke": "revoked", "suspend": "suspended", "reinstate": "reinstated"}[action]
        for index in changed:
            print(f"{done} index {index}")
        for index in unchanged:
            print(f"index {index} was {done} already")
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
    _write_output(args.out, data)
    info = {
        "out": str(args.out),
        "url": state.url,
        "purpose": state.purpose,
        "issuer": issuer,
        "format": args.format,
        "set": len(state.status_list.nonzero_indexes()),
    }
    if args.json:
        _print_json(info)
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
        _print_json(info)
    else:
        print(f"{state.url} ({state.purpose}, {state.status_list.length} entries)")
        print(f"  indexes given to credentials: {state.allocator.allocated_count}")
        print(
            f"  set ({'revoked' if state.purpose == 'revocation' else 'suspended'}): "
            f"{', '.join(map(str, set_indexes)) or 'none'}"
        )
    return EXIT_OK


# --------------------------------------------------------------------------- did-web


def _run_did_web(args: argparse.Namespace) -> int:
    from mcbadge.did import did_web_document, did_web_url

    keys = [_public_key(path, args.password_env) for path in args.key]
    document = did_web_document(args.domain, *keys, path=args.path)
    _write_output(args.out, (json.dumps(document, indent=2) + "\n").encode("utf-8"))
    url = did_web_url(document["id"])
    methods = [method["id"] for method in document["verificationMethod"]]
    info = {
        "out": str(args.out),
        "did": document["id"],
        "url": url,
        "verification_methods": methods,
    }
    if args.json:
        _print_json(info)
    else:
        print(document["id"])
        print(f"wrote {args.out}: host it at {url}", file=sys.stderr)
        print(
            f"sign with: mcbadge issue ... --key {args.key[0]} --verification-method {methods[0]}",
            file=sys.stderr,
        )
    return EXIT_OK


# --------------------------------------------------------------------------- images


def _run_bake(args: argparse.Namespace) -> int:
    from mcbadge.bake import bake, detect_format

    image = _read_bytes(args.image, "image")
    credential = _read_credential(args.credential)
    baked = bake(image, credential, replace=args.replace)
    _write_output(args.out, baked)
    info = {"out": str(args.out), "format": detect_format(image)}
    if args.json:
        _print_json(info)
    else:
        print(f"baked {args.credential} into {args.out}")
    return EXIT_OK


def _run_unbake(args: argparse.Namespace) -> int:
    from mcbadge.bake import detect_format, unbake

    image = _read_bytes(args.image, "image")
    credential = unbake(image)
    text = (
        json.dumps(credential, indent=2, ensure_ascii=False)
        if isinstance(credential, dict)
        else credential
    )
    if args.out is not None:
        _write_output(args.out, (text + "\n").encode("utf-8"))
    if args.json:
        _print_json(
            {
                "image": detect_format(image),
                "kind": "json" if isinstance(credential, dict) else "jwt",
                "credential": credential,
                "out": str(args.out) if args.out is not None else None,
            }
        )
    elif args.out is not None:
        print(f"wrote {args.out}")
    else:
        print(text)
    return EXIT_OK


def _run_render(args: argparse.Namespace) -> int:
    from mcbadge.render import render_and_bake

    credential = _read_credential(args.credential)
    svg = render_and_bake(credential, lang=args.lang, public_url=args.public_url)
    _write_output(args.out, svg.encode("utf-8"))
    info: dict[str, Any] = {"out": str(args.out), "lang": args.lang}
    if args.public_url is not None:
        from mcbadge.render import verification_link

        info["verification_link"] = verification_link(
            args.public_url, str(_credential_document(credential).get("id", ""))
        )
    if args.json:
        _print_json(info)
    else:
        print(f"wrote {args.out} (certificate, {args.lang}, credential baked in)")
    return EXIT_OK


# --------------------------------------------------------------------------- dispatch

_RUNNERS: Final = {
    "keygen": _run_keygen,
    "issue": _run_issue,
    "status": _run_status,
    "did-web": _run_did_web,
    "bake": _run_bake,
    "unbake": _run_unbake,
    "render": _run_render,
}


def dispatch(args: argparse.Namespace) -> int:
    """Run the command ``args.command`` (one of :data:`COMMANDS`); return the exit code.

    :class:`~mcbadge.errors.McBadgeError` is left to the caller (``mcbadge.cli.main`` prints
    it and exits 2). A second Ctrl-C during ``issue`` exits 130 at once; the journal keeps
    the batch resumable.

    Raises:
        McBadgeError: a usage, input or runtime error; ``code`` says which.

    Example:
        >>> dispatch(parser.parse_args(["keygen", "--out", "k.pem"]))  # doctest: +SKIP
        0
    """
    try:
        return _RUNNERS[args.command](args)
    except KeyboardInterrupt:
        print("mcbadge: interrupted; run the same command again to resume", file=sys.stderr)
        return EXIT_INTERRUPTED

"""``mcbadge serve``: its parser, key and token files, the store, and running the app."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcbadge._internal.tokens import read_token
from mcbadge.errors import (
    InvalidInputError,
    KeyFormatError,
    McBadgeError,
)
from mcbadge.keys import KeyPair
from mcbadge.net import policy_allowing

try:  # the service needs the optional extra: pip install "mcbadge[service]"
    from starlette.applications import Starlette
except ImportError as _exc:  # pragma: no cover - exercised only without the extra
    _IMPORT_ERROR: ImportError | None = _exc
else:
    _IMPORT_ERROR = None
from mcbadge.service.app import create_app
from mcbadge.service.contexts import (
    W3C_EXAMPLES_V2_CONTEXT_URL,
    _read_context_specs,
    service_loader,
)
from mcbadge.service.limits import DEFAULT_MAX_BODY_BYTES
from mcbadge.service.server import serve

if TYPE_CHECKING:
    from mcbadge.store import Store


# --------------------------------------------------------------------------- command line


def build_parser_serve(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``serve`` subcommand to an ``argparse`` subparsers object.

    Args:
        subparsers: What ``parser.add_subparsers()`` returned.

    Returns:
        The ``serve`` parser.

    Raises:
        argparse.ArgumentError: a ``serve`` subcommand is already registered.

    Example:
        >>> import argparse
        >>> parser = argparse.ArgumentParser(prog="mcbadge")
        >>> _ = build_parser_serve(parser.add_subparsers(dest="command"))
        >>> parser.parse_args(["serve", "--key", "k.pem"]).port
        8000
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="run the W3C VC API service (issue / verify over HTTP)",
        description=(
            "Serve the W3C VC API: POST /credentials/issue, /credentials/verify, "
            "/presentations/verify, GET /health. Listens on 127.0.0.1 unless --host says "
            "otherwise; verification is offline unless --allow-network. The issue token is "
            "read from --token-file or $MCBADGE_SERVICE_TOKEN; the signing key's PEM password "
            "from $MCBADGE_KEY_PASSWORD."
        ),
    )
    parser.add_argument(
        "--key",
        type=Path,
        metavar="FILE",
        help="the signing key (PEM or private JWK); credentials must name its DID as issuer "
        "(required unless --verify-only)",
    )
    parser.add_argument(
        "--verify-only",
        action="store_true",
        help="serve only the verify page and the verify endpoints; needs no signing key "
        "(/credentials/issue is absent)",
    )
    parser.add_argument(
        "--verification-method",
        metavar="URL",
        help="the key's URL for proofs (default: the key's did:key), e.g. did:web:hs.nl#key-1",
    )
    parser.add_argument(
        "--issuer", metavar="ID", help="the issuer id credentials must carry (default: the DID)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="serve with N processes sharing the port (default 1; Linux and macOS); each "
        "has its own store connection",
    )
    parser.add_argument(
        "--certfile", type=Path, metavar="PEM", help="TLS certificate chain: serve HTTPS"
    )
    parser.add_argument(
        "--keyfile",
        type=Path,
        metavar="PEM",
        help="the TLS certificate's private key (not the signing key)",
    )
    parser.add_argument(
        "--token-file",
        type=Path,
        metavar="FILE",
        help="require 'Authorization: Bearer <token>' on /credentials/issue; the file holds "
        "the token (or set $MCBADGE_SERVICE_TOKEN)",
    )
    parser.add_argument(
        "--insecure-no-auth",
        action="store_true",
        help="allow an unauthenticated issue endpoint on a non-loopback --host",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=DEFAULT_MAX_BODY_BYTES,
        metavar="N",
        help=f"largest request body (default {DEFAULT_MAX_BODY_BYTES})",
    )
    parser.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="URL=FILE",
        help="serve the JSON-LD context in FILE for URL, offline (repeatable)",
    )
    parser.add_argument(
        "--w3c-examples-context",
        action="store_true",
        help=f"know {W3C_EXAMPLES_V2_CONTEXT_URL} (for the W3C conformance suites)",
    )
    parser.add_argument(
        "--allow-network",
        action="store_true",
        help="let verification fetch over HTTPS (did:web, keys, status lists, contexts)",
    )
    parser.add_argument(
        "--allow-address",
        action="append",
        default=None,
        metavar="ADDR",
        help="with --allow-network: a non-public address or network verification may reach "
        "(e.g. an internal status list server, 10.20.0.0/16; repeatable)",
    )
    parser.add_argument(
        "--skip-status", action="store_true", help="do not check credentialStatus when verifying"
    )
    parser.add_argument(
        "--trusted-issuer",
        action="append",
        default=None,
        metavar="ID",
        help="verify only credentials from this issuer (repeatable)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="keep status lists and the issuance log in DIR (SQLite: DIR/mcbadge.sqlite3); "
        "turns on credentialStatus, POST /credentials/status and the hosted lists",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="keep them in this database instead (postgresql://user@host/db for several "
        "instances; $MCBADGE_DATABASE_URL also works)",
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="where clients reach this service (https://badges.hs.nl); status list URLs and "
        "verification links derive from it (default http://HOST:PORT)",
    )
    parser.add_argument(
        "--status",
        default="revocation",
        metavar="PURPOSES",
        help="the status entries /credentials/issue adds with a store: revocation, "
        "suspension or revocation,suspension (default revocation)",
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug"],
        help="server log level (default info)",
    )
    return parser


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _load_signing_key(path: Path) -> KeyPair:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read the key file {path}: {exc.strerror}", code="key_file_unreadable"
        ) from exc
    if data.lstrip().startswith(b"{"):
        from mcbadge._internal.jsontext import JsonTextError, loads_strict

        try:
            jwk = loads_strict(data)
        except JsonTextError as exc:
            raise KeyFormatError(f"the key file {path} is not a JSON JWK: {exc.reason}") from exc
        return KeyPair.from_jwk(jwk)
    return KeyPair.from_pem(data, os.environ.get("MCBADGE_KEY_PASSWORD"))


def app_from_args(args: argparse.Namespace) -> Starlette:
    """Build the application from parsed ``serve`` arguments (without running it).

    Args:
        args: What the ``serve`` parser returned.

    Returns:
        The application.

    Raises:
        InvalidInputError: unreadable files, a non-loopback host without a token (and
            without ``--insecure-no-auth``), or invalid options.
        KeyFormatError: the signing key cannot be read.

    Example:
        >>> app = app_from_args(parser.parse_args(["serve", "--key", "k.pem"]))  # doctest: +SKIP
    """
    verify_only = bool(getattr(args, "verify_only", False))
    if verify_only and args.key is not None:
        raise InvalidInputError(
            "--verify-only takes no --key: a verify-only service holds no signing key",
            code="invalid_option",
        )
    if not verify_only and args.key is None:
        raise InvalidInputError(
            "give the signing key (--key FILE), or --verify-only for a service that only verifies",
            code="invalid_option",
        )
    token = read_token(args.token_file)
    if (
        token is None
        and not verify_only
        and not _is_loopback(args.host)
        and not args.insecure_no_auth
    ):
        raise InvalidInputError(
            f"refusing to serve an unauthenticated issue endpoint on {args.host}: anyone who "
            "can reach it could issue credentials in your name. Give a token with "
            "--token-file or $MCBADGE_SERVICE_TOKEN, or pass --insecure-no-auth.",
            code="invalid_option",
        )
    network = policy_allowing(args.allow_address, allow_network=args.allow_network)
    loader = service_loader(
        contexts=_read_context_specs(args.context),
        w3c_examples_context=args.w3c_examples_context,
        allow_network=args.allow_network,
        network=network,
    )
    store, public_url, purposes = _store_from_args(args)
    return create_app(
        key=_load_signing_key(args.key) if args.key is not None else None,
        verify_only=verify_only,
        verification_method=args.verification_method,
        issuer_id=args.issuer,
        issue_token=token,
        max_body_bytes=args.max_body_bytes,
        loader=loader,
        allow_network=args.allow_network,
        network=network,
        trusted_issuers=args.trusted_issuer,
        skip_status=args.skip_status,
        store=store,
        public_url=public_url,
        status_purposes=purposes,
    )


def _store_from_args(
    args: argparse.Namespace,
) -> tuple[Store | None, str | None, tuple[str, ...]]:
    """The store, public URL and status purposes that ``serve``'s options ask for."""
    from mcbadge.service.status import parse_purposes

    purposes = parse_purposes(getattr(args, "status", "revocation") or "revocation")
    database = getattr(args, "database", None) or os.environ.get("MCBADGE_DATABASE_URL")
    data_dir = getattr(args, "data_dir", None)
    public_url = getattr(args, "public_url", None)
    if database is None and data_dir is None:
        if public_url is not None:
            raise InvalidInputError(
                "--public-url is for the status lists: give --data-dir DIR or --database URL "
                "as well",
                code="invalid_option",
            )
        return None, None, purposes
    from mcbadge.store import open_store

    return open_store(database, data_dir=data_dir), public_url, purposes


def run_serve(args: argparse.Namespace) -> int:
    """Run ``mcbadge serve`` with parsed arguments; returns the exit code when stopped.

    Args:
        args: What the ``serve`` parser returned.

    Returns:
        ``0`` after a clean shutdown.

    Raises:
        McBadgeError: the service cannot be set up (see :func:`app_from_args`).

    Example:
        >>> run_serve(parser.parse_args(["serve", "--key", "k.pem"]))  # doctest: +SKIP
    """
    workers = getattr(args, "workers", 1)
    if workers < 1:
        raise InvalidInputError("--workers must be at least 1", code="invalid_option")
    if workers > 1:
        from mcbadge.service.prefork import serve_workers

        serve_workers(
            lambda: app_from_args(args),
            workers=workers,
            host=args.host,
            port=args.port,
            certfile=args.certfile,
            keyfile=args.keyfile,
            log_level=args.log_level,
        )
        return 0
    app = app_from_args(args)
    serve(
        app,
        host=args.host,
        port=args.port,
        certfile=args.certfile,
        keyfile=args.keyfile,
        log_level=args.log_level,
    )
    return 0


def main_serve(argv: Sequence[str] | None = None) -> int:
    """``mcbadge serve`` as a stand-alone program; returns the exit code (0, or 2 on errors).

    Args:
        argv: The arguments after ``serve`` (default ``sys.argv[1:]``).

    Returns:
        The exit code.

    Raises:
        SystemExit: for ``--help`` and usage errors (from argparse).

    Example:
        >>> main_serve(["--key", "issuer.pem", "--port", "8443"])  # doctest: +SKIP
    """
    parser = argparse.ArgumentParser(prog="mcbadge")
    sub = parser.add_subparsers(dest="command", required=True)
    build_parser_serve(sub)
    args = parser.parse_args(["serve", *(sys.argv[1:] if argv is None else argv)])
    try:
        return run_serve(args)
    except McBadgeError as exc:
        print(f"mcbadge: error [{exc.code}]: {exc.message}", file=sys.stderr)
        return 2

"""``mcbadge offer``: OpenID4VCI credential offers for one learner or a whole cohort.

Two ways to reach the issuer (``docs/wallets.md``):

* ``--service URL`` (+ ``--token-file`` or ``$MCBADGE_SERVICE_TOKEN``): ``POST /offers`` on a
  running ``mcbadge serve``; the service checks and keeps the offer;
* ``--data-dir DIR`` / ``--database URL`` with ``--public-url URL``: the offer is written
  straight into the store that ``mcbadge serve`` uses (no server needs to run to make it);
  ``--key`` runs every signing-time check now, else ``--issuer-id`` names the issuer.

Each learner gets an offer URI (printed) and its QR code, ``NAME.png`` and ``NAME.svg`` in
``--out``. ``--json`` prints ``{"offers": [{"row", "uri", "tx_code"?, "expires"}…]}``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcbadge._internal.tokens import read_token
from mcbadge.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    add_command,
    load_key,
    password_flag,
    print_json,
    write_output,
)
from mcbadge.cli.issuing import _COHORT_SUFFIXES, _CREDENTIAL_FIELDS
from mcbadge.errors import InvalidInputError, McBadgeError

if TYPE_CHECKING:
    from mcbadge.keys import KeyPair
    from mcbadge.oid4vci import CredentialOffer
    from mcbadge.store import Store


def register_offer(sub: Any) -> None:
    p = add_command(
        sub,
        "offer",
        help="make OpenID4VCI credential offers (URI + QR code) for a learner or a cohort",
        description="Make a credential offer per learner: the learner scans its QR code (or "
        "opens the URI) with a wallet, which then fetches the credential from mcbadge serve "
        "(OpenID4VCI pre-authorized code flow). The input is one microcredential (.json/.toml) "
        "or a cohort (.csv/.jsonl with NAME.unit.toml or --unit), as for 'mcbadge issue'. "
        "Each offer redeems once and expires. Reach the issuer either over HTTP (--service, "
        "with the issuing token) or through its store (--data-dir/--database with "
        "--public-url). With --tx-code the learner must also type a 6-digit code, which is "
        "printed (give it by another channel than the QR code).",
        epilog="examples:\n"
        "  mcbadge offer cohort.csv --service https://badges.hs.nl --token-file token.txt \\\n"
        "      --out offers/\n"
        "  mcbadge offer jan.json --data-dir /var/lib/mcbadge --public-url "
        "https://badges.hs.nl \\\n"
        "      --key issuer.pem --out offers/ --tx-code --json\n",
    )
    p.add_argument("input", type=Path, help="microcredential (.json/.toml) or cohort (.csv/.jsonl)")
    p.add_argument("--unit", type=Path, metavar="FILE", help="the cohort's unit file")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="QR codes go here")
    p.add_argument("--service", metavar="URL", help="a running mcbadge serve (POST /offers)")
    p.add_argument(
        "--token-file",
        type=Path,
        metavar="FILE",
        help="the service's issuing token (or $MCBADGE_SERVICE_TOKEN)",
    )
    p.add_argument("--data-dir", type=Path, metavar="DIR", help="the service's data folder")
    p.add_argument("--database", metavar="URL", help="the service's database (PostgreSQL)")
    p.add_argument("--public-url", metavar="URL", help="the service's public URL (with a store)")
    p.add_argument(
        "--key", type=Path, metavar="FILE", help="the issuer key: check signing now (store)"
    )
    password_flag(p)
    p.add_argument("--issuer-id", metavar="ID", help="the issuer id (default: the key's DID)")
    p.add_argument(
        "--verification-method", metavar="URL", help="the key URL the service signs with"
    )
    p.add_argument(
        "--format",
        action="append",
        choices=("ldp_vc", "jwt_vc_json", "dc+sd-jwt"),
        help="offer this format (repeatable; default all three)",
    )
    p.add_argument("--tx-code", action="store_true", help="protect each offer with a code")
    p.add_argument(
        "--expires-days",
        type=float,
        default=14.0,
        metavar="DAYS",
        help="how long an offer can be redeemed (default 14)",
    )


def _service_issuer(service: str) -> str:
    import httpx

    try:
        body = httpx.get(service.rstrip("/") + "/health", timeout=30.0).json()
    except (httpx.HTTPError, ValueError) as exc:
        raise McBadgeError(
            f"cannot read {service}/health: {exc}", code="offer_service_failed"
        ) from exc
    issuer = body.get("issuer") if isinstance(body, dict) else None
    if not isinstance(issuer, str):
        raise McBadgeError(
            f"{service} names no issuer; is it an issuing mcbadge serve?",
            code="offer_service_failed",
        )
    return issuer


class _Target:
    """Where offers go: a running service or a store."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.store: Store | None = None
        self.key: KeyPair | None = None
        self.verification_method: str | None = args.verification_method
        database = args.database
        if (args.service is None) == (database is None and args.data_dir is None):
            raise InvalidInputError(
                "give --service URL (a running mcbadge serve), or --data-dir DIR / --database "
                "URL with --public-url (its store)",
                code="invalid_option",
            )
        from mcbadge.oid4vci.configurations import https_or_loopback

        if args.service is not None:
            if not https_or_loopback(args.service):
                raise InvalidInputError(
                    f"--service must be https:// (http:// only on a loopback host): "
                    f"{args.service}; the issuing token must not cross the network in the clear",
                    code="invalid_option",
                )
            self.token = read_token(args.token_file)
            self.issuer_id = args.issuer_id or _service_issuer(args.service)
            return
        if args.public_url is None:
            raise InvalidInputError(
                "with a store, give --public-url (the service's public URL: the credential "
                "issuer identifier)",
                code="invalid_option",
            )
        from mcbadge.batch import signing_identity
        from mcbadge.store import open_store

        if not https_or_loopback(args.public_url):
            raise InvalidInputError(
                f"--public-url must be https:// (http:// only on a loopback host, for tests): "
                f"{args.public_url}",
                code="invalid_option",
            )

        if args.key is not None:
            self.key = load_key(args.key, password_env=args.password_env)
            self.issuer_id, self.verification_method = signing_identity(
                self.key,
                format="jwt",
                issuer_id=args.issuer_id,
                verification_method=args.verification_method,
            )
        elif args.issuer_id is not None:
            self.issuer_id = args.issuer_id
        else:
            raise InvalidInputError(
                "with a store, give --key (recommended: checks each credential now) or --issuer-id",
                code="invalid_option",
            )
        self.store = open_store(database, data_dir=args.data_dir)

    def offer(self, credential: dict[str, Any]) -> CredentialOffer:
        from mcbadge.oid4vci import issue_offer

        args = self.args
        common: dict[str, Any] = {
            "formats": args.format,
            "tx_code": args.tx_code,
            "expires_in": timedelta(days=args.expires_days),
        }
        if self.store is not None:
            return issue_offer(
                credential,
                store=self.store,
                credential_issuer=args.public_url,
                key=self.key,
                verification_method=self.verification_method,
                **common,
            )
        return issue_offer(credential, service=args.service, token=self.token, **common)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def _single(args: argparse.Namespace, issuer_id: str) -> list[tuple[int, str, Any]]:
    """``[(row, name, credential or error)]`` for one microcredential file."""
    import uuid

    from mcbadge.batch import read_document
    from mcbadge.batch.cohort import _slug
    from mcbadge.microcredential import Microcredential

    document = read_document(args.input)
    fields = {k: document[k] for k in _CREDENTIAL_FIELDS if k in document}
    microcredential = Microcredential.from_dict(
        {k: v for k, v in document.items() if k not in _CREDENTIAL_FIELDS}
    )
    credential = microcredential.to_credential(
        id=fields.get("id") or f"urn:uuid:{uuid.uuid4()}",
        valid_from=fields.get("valid_from"),
        valid_until=fields.get("valid_until"),
        awarded_date=fields.get("awarded_date"),
        issuer_id=issuer_id,
    ).to_json_dict()
    return [(1, _slug(microcredential.learner.name), credential)]


def _rows(args: argparse.Namespace, issuer_id: str) -> list[tuple[int, str, Any]]:
    if args.input.suffix.lower() not in _COHORT_SUFFIXES:
        if args.unit is not None:
            raise InvalidInputError(
                "--unit is for cohorts (.csv, .jsonl); this input is one microcredential",
                code="invalid_option",
            )
        return _single(args, issuer_id)
    from mcbadge.batch import cohort_credentials, load_cohort

    cohort = load_cohort(args.input, unit=args.unit)
    return [
        (item.row, item.name, item.error if item.error is not None else item.credential)
        for item in cohort_credentials(cohort, issuer_id=issuer_id)
    ]


def run_offer(args: argparse.Namespace) -> int:
    """Run ``mcbadge offer``; returns the exit code (1 when a row got no offer)."""
    if not 0 < args.expires_days <= 366:
        raise InvalidInputError(
            "--expires-days must be more than 0, at most 366", code="invalid_option"
        )
    target = _Target(args)
    offers: list[dict[str, Any]] = []
    failed = 0
    try:
        for row, name, item in _rows(args, target.issuer_id):
            if isinstance(item, McBadgeError):
                failed += 1
                _report(row, item)
                continue
            try:
                offer = target.offer(item)
            except McBadgeError as exc:
                failed += 1
                _report(row, exc)
                continue
            # a QR code holds the pre-authorized code, a bearer secret: owner-only, like a key
            write_output(args.out / f"{name}.png", offer.qr_png(), mode=0o600)
            write_output(args.out / f"{name}.svg", offer.qr_svg().encode("utf-8"), mode=0o600)
            entry: dict[str, Any] = {"row": row, "uri": offer.uri}
            if offer.tx_code is not None:
                entry["tx_code"] = offer.tx_code
            entry["expires"] = offer.expires
            offers.append(entry)
            if not args.json:
                code = f"  transaction code {offer.tx_code}" if offer.tx_code else ""
                print(f"row {row}: {offer.uri}")
                print(f"  QR code {args.out / name}.png / .svg, expires {offer.expires}{code}")
    finally:
        target.close()
    if args.json:
        print_json({"offers": offers})
    elif failed:
        print(f"{failed} row(s) got no offer", file=sys.stderr)
    return EXIT_CHECK_FAILED if failed else EXIT_OK


def _report(row: int, exc: McBadgeError) -> None:
    reason = exc.details.get("reason")
    code = f"{exc.code}/{reason}" if reason else exc.code
    print(f"row {row}: error [{code}]: {exc.message}", file=sys.stderr)

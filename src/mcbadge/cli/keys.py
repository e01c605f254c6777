"""``mcbadge keygen`` and ``mcbadge did-web``: issuer keys and their identifiers."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from mcbadge.cli.common import (
    EXIT_OK,
    add_command,
    load_public_key,
    password_flag,
    print_json,
    read_password,
    write_output,
)

if TYPE_CHECKING:
    from mcbadge.keys import KeyType


_KEY_TYPES: Final[dict[str, KeyType]] = {"ed25519": "Ed25519", "p256": "P-256", "rsa": "RSA"}


def register_keygen(sub: Any) -> None:
    p = add_command(
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
    password_flag(p)
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")


def register_did_web(sub: Any) -> None:
    p = add_command(
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
    password_flag(p)
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="the did.json to write")


# --------------------------------------------------------------------------- keygen


def run_keygen(args: argparse.Namespace) -> int:
    from mcbadge.keys import KeyPair

    key = KeyPair.generate(_KEY_TYPES[args.type])
    password = read_password(args.password_env)
    write_output(args.out, key.to_pem(password), mode=0o600, overwrite=args.force)
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
        print_json(info)
    else:
        print(info["did"] or info["jwk_thumbprint"])
        print(f"wrote {args.out} ({key.key_type}, PKCS#8 PEM, mode 0600)", file=sys.stderr)
    return EXIT_OK


# --------------------------------------------------------------------------- did-web


def run_did_web(args: argparse.Namespace) -> int:
    from mcbadge.did import did_web_document, did_web_url

    keys = [load_public_key(path, args.password_env) for path in args.key]
    document = did_web_document(args.domain, *keys, path=args.path)
    write_output(args.out, (json.dumps(document, indent=2) + "\n").encode("utf-8"))
    url = did_web_url(document["id"])
    methods = [method["id"] for method in document["verificationMethod"]]
    info = {
        "out": str(args.out),
        "did": document["id"],
        "url": url,
        "verification_methods": methods,
    }
    if args.json:
        print_json(info)
    else:
        print(document["id"])
        print(f"wrote {args.out}: host it at {url}", file=sys.stderr)
        print(
            f"sign with: mcbadge issue ... --key {args.key[0]} --verification-method {methods[0]}",
            file=sys.stderr,
        )
    return EXIT_OK

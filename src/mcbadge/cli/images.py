"""``mcbadge bake``, ``unbake`` and ``render``: credentials in PNG/SVG images and certificates."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from mcbadge.cli.common import (
    EXIT_OK,
    add_command,
    credential_document,
    print_json,
    read_bytes,
    read_credential,
    write_output,
)


def register_images(sub: Any) -> None:
    bake = add_command(
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
    unbake = add_command(
        sub,
        "unbake",
        help="take the credential out of a baked PNG or SVG",
        description="Print (or write) the credential baked into an image. Verify it before "
        "trusting it: 'mcbadge verify IMAGE'.",
        epilog="examples:\n  mcbadge unbake jan.png\n  mcbadge unbake certificate.svg --out c.json",
    )
    unbake.add_argument("image", type=Path, help="PNG or SVG image")
    unbake.add_argument("--out", type=Path, metavar="FILE", help="write the credential here")
    render = add_command(
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


# --------------------------------------------------------------------------- images


def run_bake(args: argparse.Namespace) -> int:
    from mcbadge.bake import bake, detect_format

    image = read_bytes(args.image, "image")
    credential = read_credential(args.credential)
    baked = bake(image, credential, replace=args.replace)
    write_output(args.out, baked)
    info = {"out": str(args.out), "format": detect_format(image)}
    if args.json:
        print_json(info)
    else:
        print(f"baked {args.credential} into {args.out}")
    return EXIT_OK


def run_unbake(args: argparse.Namespace) -> int:
    from mcbadge.bake import detect_format, unbake

    image = read_bytes(args.image, "image")
    credential = unbake(image)
    text = (
        json.dumps(credential, indent=2, ensure_ascii=False)
        if isinstance(credential, dict)
        else credential
    )
    if args.out is not None:
        write_output(args.out, (text + "\n").encode("utf-8"))
    if args.json:
        print_json(
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


def run_render(args: argparse.Namespace) -> int:
    from mcbadge.render import render_and_bake

    credential = read_credential(args.credential)
    svg = render_and_bake(credential, lang=args.lang, public_url=args.public_url)
    write_output(args.out, svg.encode("utf-8"))
    info: dict[str, Any] = {"out": str(args.out), "lang": args.lang}
    if args.public_url is not None:
        from mcbadge.render import verification_link

        info["verification_link"] = verification_link(
            args.public_url, str(credential_document(credential).get("id", ""))
        )
    if args.json:
        print_json(info)
    else:
        print(f"wrote {args.out} (certificate, {args.lang}, credential baked in)")
    return EXIT_OK

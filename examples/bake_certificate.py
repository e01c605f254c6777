"""Sign the sample microcredential, draw its certificate, bake it into an SVG and a PNG, check both.

Run: .venv/bin/python examples/bake_certificate.py [OUT_DIR]

Writes into OUT_DIR (default: a new temporary directory):
  certificate.svg  the A4 certificate with the Data Integrity credential baked in
  badge.png        a small generated PNG with the VC-JWT baked in
and prints their paths. Everything runs offline.
"""

from __future__ import annotations

import struct
import sys
import tempfile
import zlib
from pathlib import Path

from mcbadge import issue
from mcbadge.bake import bake, unbake
from mcbadge.demo import sample_microcredential
from mcbadge.keys import KeyPair
from mcbadge.proofs import verify_proofs
from mcbadge.proofs.jwt import decode_credential_jwt
from mcbadge.render import render_and_bake


def badge_png(size: int = 64) -> bytes:
    """A small round badge as an RGBA PNG, written with zlib (no imaging library)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = []
    centre = (size - 1) / 2
    for y in range(size):
        row = bytearray(b"\x00")  # filter type: none
        for x in range(size):
            distance = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
            if distance <= size * 0.36:
                row += bytes((0x1D, 0x35, 0x57, 0xFF))  # navy
            elif distance <= size * 0.47:
                row += bytes((0xB8, 0x91, 0x2F, 0xFF))  # gold ring
            else:
                row += bytes((0, 0, 0, 0))  # transparent
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    key = KeyPair.generate("Ed25519")
    credential = sample_microcredential().to_credential(
        id="urn:uuid:5d0c2f4e-9b1a-4e7d-8c3f-2a6b1e9d7c05",
        valid_from="2026-11-23T10:00:00Z",
        issuer_id=key.did_key,
    )
    signed = issue(credential, key)  # Data Integrity, eddsa-rdfc-2022
    token = issue(credential, key, format="jwt")  # VC-JWT

    # 1. The certificate: an A4 SVG that carries the signed credential.
    svg_path = out_dir / "certificate.svg"
    svg_path.write_text(render_and_bake(signed, lang="nl"), encoding="utf-8")

    # 2. A PNG badge that carries the VC-JWT.
    png_path = out_dir / "badge.png"
    png_path.write_bytes(bake(badge_png(), token))

    # 3. Take both out again, as a verifier would, and check them.
    from_svg = unbake(svg_path.read_text(encoding="utf-8"))
    assert isinstance(from_svg, dict)
    assert from_svg == signed
    results = verify_proofs(from_svg)
    assert results and all(r.verified for r in results), results

    from_png = unbake(png_path.read_bytes())
    assert from_png == token
    assert isinstance(from_png, str)
    decoded = decode_credential_jwt(from_png, key=key.public_key)
    assert decoded.verified

    print(f"certificate (SVG, Data Integrity baked in, verified): {svg_path}")
    print(f"badge (PNG, VC-JWT baked in, verified):              {png_path}")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="mcbadge-"))
    main(target)

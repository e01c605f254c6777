"""mcbadge._internal.qr, and the verification link + QR code on the certificate."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mcbadge._internal.qr import QUIET_ZONE, qr_matrix, qr_png, qr_svg, qr_svg_path
from mcbadge.demo import sample_microcredential
from mcbadge.errors import InvalidInputError
from mcbadge.render import render_and_bake, render_certificate_svg, verification_link

LINK = "https://verify.hs-voorbeeld.nl/verify?id=urn%3Auuid%3A3c9d4f1e-8a2b-4c6d-9e0f-1a2b3c4d5e6f"


def zbarimg(path: Path) -> str:
    tool = shutil.which("zbarimg")
    if tool is None:
        pytest.fail("zbarimg is not installed: run `make browser` (apt-get install zbar-tools)")
    done = subprocess.run(
        [tool, "--quiet", "--raw", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def cells(path_data: str, *, x: float, y: float, module: float) -> set[tuple[int, int]]:
    """The dark modules an SVG path from qr_svg_path draws (runs of M x,y h w v1 h-w z)."""
    dark: set[tuple[int, int]] = set()
    for mx, my, width in re.findall(r"M([\d.]+),([\d.]+)h([\d.]+)v[\d.]+h-[\d.]+z", path_data):
        row = round((float(my) - y) / module)
        start = round((float(mx) - x) / module)
        for c in range(start, start + round(float(width) / module)):
            dark.add((row, c))
    return dark


def test_png_decodes_to_the_text(tmp_path: Path) -> None:
    image = tmp_path / "qr.png"
    image.write_bytes(qr_png(LINK))
    assert zbarimg(image) == LINK


def test_svg_path_draws_exactly_the_matrix() -> None:
    matrix = qr_matrix(LINK)
    expected = {(r, c) for r, row in enumerate(matrix) for c, v in enumerate(row) if v}
    assert cells(qr_svg_path(LINK, x=10, y=20, module=3), x=10, y=20, module=3) == expected
    assert len(matrix) == len(matrix[0]) == 41  # version 6 at level M for this link
    # the finder pattern in the top-left corner: a dark 7x7 ring
    assert all(matrix[0][c] for c in range(7)) and not matrix[1][1] and matrix[2][2]


def test_standalone_svg_has_the_quiet_zone() -> None:
    svg = qr_svg("hi", scale=2)
    size = (21 + 2 * QUIET_ZONE) * 2
    assert f'viewBox="0 0 {size} {size}"' in svg


def test_too_much_text_is_a_typed_error() -> None:
    with pytest.raises(InvalidInputError) as info:
        qr_matrix("x" * 5000)
    assert info.value.code == "qr_data_too_long"


def test_verification_link_encodes_the_id_and_checks_the_base() -> None:
    assert verification_link("https://verify.hs.nl", "urn:uuid:1") == (
        "https://verify.hs.nl/verify?id=urn%3Auuid%3A1"
    )
    assert verification_link("https://hs.nl/mcbadge/", "https://hs.nl/c/1?x=1&y") == (
        "https://hs.nl/mcbadge/verify?id=https%3A%2F%2Fhs.nl%2Fc%2F1%3Fx%3D1%26y"
    )
    for bad in ("ftp://hs.nl", "hs.nl", "https://hs.nl/?a=1", "https://hs.nl/#x", "javascript:x"):
        with pytest.raises(InvalidInputError):
            verification_link(bad, "urn:uuid:1")


def _credential() -> dict[str, object]:
    return (
        sample_microcredential()
        .to_credential(
            id="urn:uuid:3c9d4f1e-8a2b-4c6d-9e0f-1a2b3c4d5e6f", valid_from="2026-01-15T10:00:00Z"
        )
        .to_json_dict()
    )


def test_certificate_carries_the_link_and_its_qr_code() -> None:
    svg = render_certificate_svg(_credential(), public_url="https://verify.hs-voorbeeld.nl")
    assert f"Controleer echtheid: {LINK}" in svg
    group = re.search(r'<g class="verification-qr"[^>]*>(.*?)</g>', svg, re.S)
    assert group is not None
    path = re.search(r'<path d="([^"]+)"', group.group(1))
    assert path is not None
    first = re.match(r"M([\d.]+),([\d.]+)", path.group(1))
    assert first is not None
    module = 205 / 41
    x, y = float(first.group(1)), float(first.group(2))  # the finder's corner is dark
    matrix = qr_matrix(LINK)
    expected = {(r, c) for r, row in enumerate(matrix) for c, v in enumerate(row) if v}
    assert cells(path.group(1), x=x, y=y, module=module) == expected


def test_certificate_without_public_url_has_no_qr_and_the_old_note() -> None:
    svg = render_certificate_svg(_credential(), lang="en")
    assert "verification-qr" not in svg
    assert "Check it with an Open Badges 3.0 verifier." in svg


def test_public_url_needs_a_credential_id() -> None:
    cred = _credential()
    del cred["id"]
    with pytest.raises(InvalidInputError):
        render_certificate_svg(cred, public_url="https://verify.hs-voorbeeld.nl")
    assert "verification-qr" in render_and_bake(
        {**_credential(), "proof": [{"type": "DataIntegrityProof"}]},
        public_url="https://verify.hs-voorbeeld.nl",
    )

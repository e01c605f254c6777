"""The certificate's QR code, drawn by Chromium from the SVG, decodes to the verification link."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mcbadge.render import verification_link
from tests.browser.conftest import ARTIFACTS, PUBLIC_URL, Site
from tests.unit.test_qr import zbarimg

pytestmark = pytest.mark.browser


def test_printed_certificate_qr_decodes_to_the_verify_page(
    driver: Any, site: Site, tmp_path: Path
) -> None:
    svg = site.files["svg"].read_text(encoding="utf-8")
    # draw the A4 page at 1 pixel per 0.1 mm (about 254 dpi), as a printer or a camera sees it
    page = tmp_path / "a4.svg"
    page.write_text(
        svg.replace('width="297mm" height="210mm"', 'width="2970" height="2100"'), encoding="utf-8"
    )
    driver.set_window_size(3100, 2400)  # the viewport is smaller than the window
    try:
        driver.get(page.as_uri())
        shot = ARTIFACTS / "certificate.png"
        driver.save_screenshot(str(shot))
    finally:
        driver.set_window_size(1280, 1000)
    assert zbarimg(shot) == verification_link(PUBLIC_URL, site.issued_id)

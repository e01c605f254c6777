"""The verification link of a credential the service issued, opened in a real Chromium.

The certificate's QR code and ``mcbadge serve``'s links lead to ``{public URL}/verify?id=…``
(the id percent-encoded). Here the service issues a credential over its VC API (kept in its
SQLite store), and Chromium opens exactly that link (the public URL's origin replaced by the
loopback server, as a reverse proxy would): the page shows the verdict and what the credential
says; after ``POST /credentials/status`` revokes it, the same link shows it revoked, with the
reason in Dutch.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from selenium.webdriver.common.by import By
from starlette.applications import Starlette
from starlette.routing import Mount

from mcbadge.keys import KeyPair
from mcbadge.render.certificate import verification_link
from mcbadge.service import BackgroundServer, create_app
from mcbadge.store import open_store
from tests.browser.conftest import KEYS, PUBLIC_URL, _credential
from tests.browser.test_verify_page import _checks, _fields, _open, _shot, _verdict

pytestmark = pytest.mark.browser

TOKEN = "browser-link-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CREDENTIAL_ID = "urn:uuid:5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d"
PREFIX = "/badges"


@dataclass
class Service:
    url: str
    http: httpx.Client


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    key = KeyPair.from_pem((KEYS / "ed25519.pem").read_bytes())
    data = Path(tmp_path_factory.mktemp("data"))
    with open_store(data_dir=data) as store:
        app = create_app(key=key, issue_token=TOKEN, store=store, public_url=PUBLIC_URL)
        # the same service at the root and where a reverse proxy mounts it under a path
        both = Starlette(routes=[Mount(PREFIX, app=app), Mount("/", app=app)])
        with BackgroundServer(both) as server:
            with httpx.Client(base_url=server.url, timeout=60) as http:
                credential = _credential(key, id=CREDENTIAL_ID)
                issued = http.post(
                    "/credentials/issue", json={"credential": credential}, headers=AUTH
                )
                assert issued.status_code == 201, issued.text
                assert issued.json()["verifiableCredential"]["credentialStatus"]
                yield Service(url=server.url, http=http)


def _link(service: Service, prefix: str = "") -> str:
    """The link the certificate carries, with the loopback server for the public origin."""
    link = verification_link(PUBLIC_URL + prefix, CREDENTIAL_ID)
    assert link == (
        f"{PUBLIC_URL}{prefix}/verify?id=urn%3Auuid%3A5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d"
    )
    parts = urlsplit(link)
    return f"{service.url}{parts.path}?{parts.query}"


def test_the_verification_link_shows_the_verdict_then_the_revocation_in_dutch(
    driver: Any, service: Service
) -> None:
    driver.set_window_size(1280, 1000)
    _open(driver, _link(service))
    verdict = _verdict(driver)
    assert verdict.get_attribute("data-verified") == "true"
    assert "Geverifieerd" in verdict.text
    fields = _fields(driver)
    assert fields["Credential-id"] == CREDENTIAL_ID
    assert fields["Lerende"].startswith("Jan Jansen")
    assert _checks(driver)["status"] == "passed"
    _shot(driver, "link-verified")

    revoke = {
        "credentialId": CREDENTIAL_ID,
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
    }
    answer = service.http.post("/credentials/status", json=revoke, headers=AUTH)
    assert answer.status_code == 200, answer.text

    _open(driver, _link(service))
    verdict = _verdict(driver)
    assert verdict.get_attribute("data-verified") == "false"
    assert _checks(driver)["status"] == "failed"
    message = driver.find_element(By.CSS_SELECTOR, '#checks li[data-check="status"] .check-msg')
    assert message.get_attribute("lang") == "nl"
    assert "ingetrokken" in message.text
    _shot(driver, "link-revoked")


def test_the_page_works_where_a_proxy_mounts_the_service_under_a_path(
    driver: Any, service: Service
) -> None:
    """``https://hs.nl/badges/verify?id=…``: the page, its script and its requests follow the
    path it was opened at (every URL in the page is relative)."""
    _open(driver, _link(service, PREFIX))
    verdict = _verdict(driver)
    assert verdict.get_attribute("data-verified") in ("true", "false")
    assert _fields(driver)["Credential-id"] == CREDENTIAL_ID
    assert driver.execute_script("return location.pathname") == f"{PREFIX}/verify"
    styled = driver.execute_script(
        "return getComputedStyle(document.getElementById('drop')).borderStyle"
    )
    assert styled != "none"  # the stylesheet came from the prefixed path
    _open(driver, f"{service.url}{PREFIX}/")
    driver.find_element(By.ID, "paste").send_keys("melk, brood")
    driver.find_element(By.ID, "paste-button").click()
    assert "geen leesbaar credential" in _verdict(driver).text


def test_an_unknown_id_on_the_link_is_not_verified(driver: Any, service: Service) -> None:
    _open(driver, f"{service.url}/verify?id=urn%3Auuid%3Anever-issued")
    verdict = _verdict(driver)
    assert verdict.get_attribute("data-verified") == "false"
    assert "niet uitgegeven" in verdict.text

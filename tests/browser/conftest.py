"""A real headless Chromium (Debian's ``chromium`` + ``chromium-driver``) driving the verify page.

``make test`` installs both (``make browser``); without them these tests fail with that hint
rather than being skipped. Screenshots go to ``tests/browser/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mcbadge import issue
from mcbadge.bake import bake_png
from mcbadge.demo import sample_microcredential
from mcbadge.keys import KeyPair
from mcbadge.render import render_and_bake
from mcbadge.service import BackgroundServer, create_app
from mcbadge.status import BitstringStatusList, entry, status_list_credential

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
KEYS = Path(__file__).resolve().parents[1] / "keys"
STATUS_URL = "https://status.hs-voorbeeld.example/lists/1"
PUBLIC_URL = "https://verify.hs-voorbeeld.example"
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
DRIVER = ("chromedriver", "chromium-driver")


def _which(names: tuple[str, ...]) -> str:
    for name in names:
        found = shutil.which(name) or (
            f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None
        )
        if found:
            return found
    pytest.fail(
        f"none of {', '.join(names)} is installed: run `make browser` (Debian: "
        "apt-get install chromium chromium-driver), which `make test` does"
    )


@pytest.fixture(scope="session")
def driver() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = _which(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",  # the tests run as root in CI
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--lang=nl-NL",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "nl-NL,nl,en"})
    browser = webdriver.Chrome(options=options, service=Service(_which(DRIVER)))
    browser.set_page_load_timeout(60)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield browser
    finally:
        browser.quit()


@dataclass
class Site:
    """The service under test and the credentials the tests show it."""

    url: str
    files: dict[str, Path]
    issued_id: str
    status_list: BitstringStatusList


def _credential(key: KeyPair, **changes: Any) -> dict[str, Any]:
    cred: dict[str, Any] = (
        sample_microcredential()
        .to_credential(
            id=changes.pop("id", "urn:uuid:3c9d4f1e-8a2b-4c6d-9e0f-1a2b3c4d5e6f"),
            valid_from="2026-01-15T10:00:00Z",
            issuer_id=key.did_key,
        )
        .to_json_dict()
    )
    cred.update(changes)
    return cred


def _status_server(key: KeyPair, status_list: BitstringStatusList) -> Starlette:
    async def serve_list(request: Request) -> Response:
        signed = issue(
            status_list_credential(
                status_list, id=STATUS_URL, issuer=key.did_key, valid_from="2026-01-01T00:00:00Z"
            ),
            key,
        )
        return JSONResponse(signed)

    return Starlette(routes=[Route("/lists/1", serve_list)])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, driver: Any) -> Iterator[Site]:
    key = KeyPair.from_pem((KEYS / "ed25519.pem").read_bytes())
    folder = tmp_path_factory.mktemp("page")
    status_list = BitstringStatusList.create(status_purpose="revocation")
    status_list.revoke(7)
    signed = issue(_credential(key), key)
    token = issue(_credential(key), key, format="jwt")
    sd_jwt = issue(_credential(key), key, format="sd-jwt")
    tampered = json.loads(json.dumps(signed))
    tampered["credentialSubject"]["result"][0]["value"] = "10"
    revoked = issue(
        _credential(
            key,
            id="urn:uuid:7e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b",
            credentialStatus=entry(7, list_url=STATUS_URL),
        ),
        key,
    )
    svg = render_and_bake(signed, lang="nl", public_url=PUBLIC_URL)
    # a certificate whose *drawn* grade was edited; the baked credential is untouched
    edited_svg = svg.replace(">8,5<", ">9,9<")
    assert edited_svg != svg
    files = {
        "di": folder / "jan-jansen.json",
        "jwt": folder / "jan-jansen.jwt",
        "sd_jwt": folder / "jan-jansen.sd-jwt",
        "svg": folder / "certificaat.svg",
        "edited_svg": folder / "certificaat-bewerkt.svg",
        "tampered": folder / "jan-jansen-tampered.json",
        "revoked": folder / "revoked.json",
        "garbage": folder / "boodschappen.txt",
        "png": folder / "certificaat.png",
    }
    files["di"].write_text(json.dumps(signed, indent=2), encoding="utf-8")
    files["jwt"].write_text(token, encoding="utf-8")
    files["sd_jwt"].write_text(sd_jwt, encoding="utf-8")
    files["svg"].write_text(svg, encoding="utf-8")
    files["edited_svg"].write_text(edited_svg, encoding="utf-8")
    files["tampered"].write_text(json.dumps(tampered, indent=2), encoding="utf-8")
    files["revoked"].write_text(json.dumps(revoked, indent=2), encoding="utf-8")
    files["garbage"].write_text("melk, brood, kaas\n", encoding="utf-8")
    # the PNG: Chromium draws the certificate, and the credential is baked into that picture
    driver.set_window_size(1188, 840)
    driver.get(files["svg"].as_uri())
    files["png"].write_bytes(bake_png(driver.get_screenshot_as_png(), signed))
    driver.set_window_size(1280, 1000)

    issued = {signed["id"]: signed}
    with BackgroundServer(_status_server(key, status_list)) as lists:

        def fetch_status(url: str) -> Any:
            # the status list is served over real HTTP by the test's own server
            assert url.startswith("https://status.hs-voorbeeld.example/")
            path = url.removeprefix("https://status.hs-voorbeeld.example")
            return httpx.get(lists.url + path, timeout=10).text

        app = create_app(
            verify_only=True,
            status_fetcher=fetch_status,
            credential_lookup=issued.get,
        )
        with BackgroundServer(app) as server:
            yield Site(
                url=server.url,
                files=files,
                issued_id=signed["id"],
                status_list=status_list,
            )

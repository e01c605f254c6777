"""The verify page in a real headless Chromium: each kind of input shows the right verdict."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import ARTIFACTS, Site

pytestmark = pytest.mark.browser


def _open(driver: Any, url: str) -> None:
    driver.get(url)
    WebDriverWait(driver, 30).until(
        lambda d: (
            d.find_element(By.ID, "drop").is_displayed()
            and d.execute_script("return document.title") != ""
        )
    )


def _verdict(driver: Any) -> Any:
    """Wait for the verdict and return its element (``data-verified`` is set once shown)."""
    WebDriverWait(driver, 60).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#verdict[data-verified]"))
    )
    WebDriverWait(driver, 60).until(
        lambda d: not d.find_element(By.ID, "result").get_attribute("hidden")
    )
    return driver.find_element(By.ID, "verdict")


def _upload(driver: Any, site: Site, name: str) -> Any:
    _open(driver, site.url + "/")
    driver.find_element(By.ID, "file").send_keys(str(site.files[name]))
    return _verdict(driver)


def _fields(driver: Any) -> dict[str, str]:
    dl = driver.find_element(By.ID, "fields")
    terms = dl.find_elements(By.TAG_NAME, "dt")
    values = dl.find_elements(By.TAG_NAME, "dd")
    return {t.text: v.text for t, v in zip(terms, values, strict=True)}


def _checks(driver: Any) -> dict[str, str]:
    return {
        li.get_attribute("data-check"): li.get_attribute("data-status")
        for li in driver.find_elements(By.CSS_SELECTOR, "#checks li")
    }


def _shot(driver: Any, name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, 700)  # measure the page, not the window left by a test
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, max(600, min(int(height) + 120, 4000)))
    driver.save_screenshot(str(path))
    return path


def _assert_fields_of_jan(fields: dict[str, str]) -> None:
    assert fields["Lerende"].startswith("Jan Jansen")
    # hashed identifiers are shown as hashed
    assert "alleen als hash: e-mailadres, studentnummer" in fields["Lerende"]
    assert fields["Uitgegeven door"].startswith("Hogeschool Voorbeeld")
    assert fields["Eenheid"].startswith("Data Privacy in de Zorg")
    assert fields["Niveau"] == "NLQF 6 · EQF 6"
    assert fields["Studielast"] == "5 EC (140 uur)"
    assert fields["Resultaat"].startswith("8,5")
    assert "Past de AVG" in fields["Leeruitkomsten"]
    assert fields["Toetsing"] == "toets"
    assert fields["Deelname"] == "online"
    assert "Kwaliteitsborging" in fields["Kwaliteitsborging"]
    assert fields["Uitgegeven op"] == "15 januari 2026"


def test_valid_data_integrity_credential_is_verified(driver: Any, site: Site) -> None:
    driver.set_window_size(1280, 1000)
    verdict = _upload(driver, site, "di")
    assert verdict.get_attribute("data-verified") == "true"
    assert "Geverifieerd" in verdict.text
    _assert_fields_of_jan(_fields(driver))
    checks = _checks(driver)
    assert checks["proof[0].signature"] == "passed"
    assert checks["proof.issuer_binding"] == "passed"
    assert "failed" not in checks.values()
    # the page says plainly that a picture of a certificate is not what was verified
    assert "níet gecontroleerd" in driver.find_element(By.ID, "notice").text
    _shot(driver, "verified-di")


def test_valid_jwt_is_verified(driver: Any, site: Site) -> None:
    verdict = _upload(driver, site, "jwt")
    assert verdict.get_attribute("data-verified") == "true"
    _assert_fields_of_jan(_fields(driver))
    assert _checks(driver)["jwt.signature"] == "passed"
    _shot(driver, "verified-jwt")


def test_valid_sd_jwt_vc_is_verified(driver: Any, site: Site) -> None:
    verdict = _upload(driver, site, "sd_jwt")
    assert verdict.get_attribute("data-verified") == "true"
    _assert_fields_of_jan(_fields(driver))
    assert _checks(driver)["sdjwt.signature"] == "passed"


def test_baked_png_is_verified_and_its_picture_shown_as_unverified(driver: Any, site: Site) -> None:
    verdict = _upload(driver, site, "png")
    assert verdict.get_attribute("data-verified") == "true"
    _assert_fields_of_jan(_fields(driver))
    picture = driver.find_element(By.ID, "picture")
    assert picture.is_displayed()
    assert "niet gecontroleerd" in picture.text
    _shot(driver, "verified-png")


def test_baked_svg_whose_drawing_was_edited_shows_the_real_grade(driver: Any, site: Site) -> None:
    verdict = _upload(driver, site, "edited_svg")
    # the baked credential is untouched, so it verifies: and the page shows its grade (8,5),
    # not the 9,9 drawn on the edited certificate, beside that picture
    assert verdict.get_attribute("data-verified") == "true"
    fields = _fields(driver)
    _assert_fields_of_jan(fields)
    assert "9,9" not in fields["Resultaat"]
    assert driver.find_element(By.ID, "picture").is_displayed()
    _shot(driver, "edited-svg")


def test_baked_svg_certificate_is_verified(driver: Any, site: Site) -> None:
    verdict = _upload(driver, site, "svg")
    assert verdict.get_attribute("data-verified") == "true"
    _assert_fields_of_jan(_fields(driver))


def test_tampered_credential_is_not_verified_and_its_claims_are_marked(
    driver: Any, site: Site
) -> None:
    verdict = _upload(driver, site, "tampered")
    assert verdict.get_attribute("data-verified") == "false"
    assert "Niet geverifieerd" in verdict.text
    assert _checks(driver)["proof[0].signature"] == "failed"
    says = driver.find_element(By.CSS_SELECTOR, ".says")
    assert "Wat het credential beweert" in says.text
    assert "niet geverifieerd" in says.text
    assert _fields(driver)["Resultaat"].startswith("10")
    _shot(driver, "tampered")


def test_revoked_credential_is_not_verified(driver: Any, site: Site) -> None:
    verdict = _upload(driver, site, "revoked")
    assert verdict.get_attribute("data-verified") == "false"
    checks = _checks(driver)
    assert checks["status"] == "failed"
    assert checks["proof[0].signature"] == "passed"
    item = driver.find_element(By.CSS_SELECTOR, '#checks li[data-check="status"]')
    assert "revoked" in item.text  # the code, and the library's message under it
    # the Dutch page gives the reason in Dutch (by the stable code), the English as detail
    reason = item.find_element(By.CSS_SELECTOR, ".check-msg")
    assert reason.get_attribute("lang") == "nl"
    assert (
        reason.text
        == "[revoked] De uitgever heeft dit credential ingetrokken: het geldt niet meer."
    )
    detail = item.find_element(By.CSS_SELECTOR, ".check-detail")
    assert detail.get_attribute("lang") == "en"
    assert "the issuer has revoked the credential" in detail.text
    # a check without a Dutch reason shows the English message, marked as English
    english = driver.find_elements(By.CSS_SELECTOR, '#checks .check-msg[lang="en"]')
    assert all(e.text for e in english)
    _shot(driver, "revoked")
    # in English, the library's message is the reason
    driver.find_element(By.CSS_SELECTOR, '.langs button[data-lang="en"]').click()
    try:
        item = driver.find_element(By.CSS_SELECTOR, '#checks li[data-check="status"]')
        reason = item.find_element(By.CSS_SELECTOR, ".check-msg")
        assert reason.get_attribute("lang") == "en"
        assert "the issuer has revoked the credential" in reason.text
        assert not item.find_elements(By.CSS_SELECTOR, ".check-detail")
    finally:
        driver.find_element(By.CSS_SELECTOR, '.langs button[data-lang="nl"]').click()


def test_garbage_is_not_verified(driver: Any, site: Site) -> None:
    verdict = _upload(driver, site, "garbage")
    assert verdict.get_attribute("data-verified") == "false"
    assert "geen leesbaar credential" in verdict.text
    assert _fields(driver) == {}
    _shot(driver, "garbage")


def test_issued_credential_opens_by_id(driver: Any, site: Site) -> None:
    _open(driver, f"{site.url}/verify?id={site.issued_id}")
    verdict = _verdict(driver)
    assert verdict.get_attribute("data-verified") == "true"
    assert _fields(driver)["Credential-id"] == site.issued_id
    _open(driver, f"{site.url}/verify?id=urn:uuid:never-issued")
    verdict = _verdict(driver)
    assert verdict.get_attribute("data-verified") == "false"
    assert "niet uitgegeven" in verdict.text


def test_keyboard_paste_and_language_switch(driver: Any, site: Site) -> None:
    _open(driver, site.url + "/")
    token = site.files["jwt"].read_text(encoding="utf-8")
    keys = ActionChains(driver)
    # keyboard only: Tab (past the skip link, the language buttons and the file chooser) to
    # the text box, type, Tab to the button, Enter
    visited = []
    for _ in range(12):
        focused = driver.switch_to.active_element.get_attribute("id")
        visited.append(focused)
        if focused == "paste":
            break
        keys.send_keys(Keys.TAB).perform()
    assert driver.switch_to.active_element.get_attribute("id") == "paste", visited
    assert "file" in visited  # the file chooser is reachable by keyboard too
    keys.send_keys(token).send_keys(Keys.TAB).perform()
    assert driver.switch_to.active_element.get_attribute("id") == "paste-button"
    keys.send_keys(Keys.ENTER).perform()
    verdict = _verdict(driver)
    assert verdict.get_attribute("data-verified") == "true"
    # the verdict takes the focus, so a screen reader or keyboard user lands on it
    assert driver.switch_to.active_element.get_attribute("id") == "verdict"
    driver.find_element(By.CSS_SELECTOR, '.langs button[data-lang="en"]').click()
    assert driver.find_element(By.ID, "verdict-title").text == "Verified"
    fields = _fields(driver)
    assert fields["Study load"] == "5 EC (140 hours)"
    assert fields["Assessment"] == "testing"
    assert fields["Issued on"] == "15 January 2026"
    assert driver.execute_script("return document.documentElement.lang") == "en"
    _shot(driver, "english")
    driver.find_element(By.CSS_SELECTOR, '.langs button[data-lang="nl"]').click()
    assert driver.find_element(By.ID, "verdict-title").text == "Geverifieerd"


def test_dropping_a_file_verifies_it(driver: Any, site: Site) -> None:
    _open(driver, site.url + "/")
    text = site.files["di"].read_text(encoding="utf-8")
    driver.execute_script(
        """
        const dt = new DataTransfer();
        dt.items.add(new File([arguments[0]], "jan.json", {type: "application/json"}));
        document.getElementById("drop").dispatchEvent(
            new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
        """,
        text,
    )
    assert _verdict(driver).get_attribute("data-verified") == "true"


def test_readable_on_a_phone(driver: Any, site: Site) -> None:
    driver.set_window_size(390, 844)
    try:
        verdict = _upload(driver, site, "di")
        assert verdict.get_attribute("data-verified") == "true"
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, "the page scrolls sideways on a phone"
        _shot(driver, "phone")
    finally:
        driver.set_window_size(1280, 1000)

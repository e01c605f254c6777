"""Issue 10, F7 and F10: JSON text from outside is read by one strict reader.

A 5,000-digit number (past Python's 4,300-digit conversion limit) and a lone surrogate
(``\\ud800``) used to escape as an untyped ``ValueError`` or crash later when the text was
written as UTF-8. Every entry point now answers with a typed error: ``verify()`` on JSON
text, a VC-JWT header or payload, a baked PNG or SVG, ``unbake()`` and
``StatusChecker.check()``. The command line and the service are covered in
``tests/integration/test_hostile_input.py``.
"""

from __future__ import annotations

import json
import struct
import zlib

import pytest

from mcbadge._internal.jsontext import MAX_INT_DIGITS, JsonTextError, loads_strict
from mcbadge._internal.multibase import base64url_encode
from mcbadge.bake import OB3_SVG_NAMESPACE, unbake
from mcbadge.errors import BakingError, InvalidInputError, McBadgeError, StatusListError
from mcbadge.status import StatusChecker
from mcbadge.verify import verification_report
from tests.unit.test_verify import ISSUER, STATUS_ENTRY, failures, kid_header, ob3_credential

HUGE = "9" * 5000  # over Python's int-digit limit (4,300)
SURROGATE = "\\ud800"  # a JSON escape of a lone high surrogate


def credential_text(**replace: str) -> str:
    """The OB3 credential's JSON text with ``"name"`` replaced by raw JSON ``replace``."""
    text = json.dumps(ob3_credential())
    for value in replace.values():
        text = text.replace('"name": "Data Privacy in de Zorg"', f'"name": {value}', 1)
    return text


# --------------------------------------------------------------------------- the reader


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (f'{{"ects": {HUGE}}}', "number"),
        (f'{{"ects": -{"1" * (MAX_INT_DIGITS + 1)}}}', "number"),
        (f'{{"name": "{SURROGATE}"}}', "surrogate"),
        ('{"name": "\\udc00"}', "surrogate"),
        ('{"name": "\\ud800\\u0041"}', "surrogate"),
        ('{"\\ud800": 1}', "surrogate"),
        ('["\\ud83d"]', "surrogate"),
        ('{"name": "\ud800"}', "surrogate"),  # the raw code point in a Python str
        ('{"a": 1, "a": 2}', "duplicate"),
        ('{"a": Infinity}', "constant"),
        ("[" * 100_000, "depth"),
        ('{"a": 1', "syntax"),
    ],
    ids=[
        "huge-int",
        "negative-int-over-limit",
        "lone-high-surrogate",
        "lone-low-surrogate",
        "high-then-non-low",
        "surrogate-key",
        "surrogate-in-array",
        "raw-surrogate",
        "duplicate",
        "infinity",
        "too-deep",
        "truncated",
    ],
)
def test_strict_reader_refuses_with_a_kind(text: str, kind: str) -> None:
    with pytest.raises(JsonTextError) as info:
        loads_strict(text)
    assert info.value.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        '{"name": "\\ud83c\\udf93 Data Privacy"}',  # a proper pair: the graduation cap
        '{"name": "\\\\ud800"}',  # an escaped backslash, then the letters ud800
        f'{{"ects": {"9" * MAX_INT_DIGITS}}}',
        f'{{"ects": 1{"0" * 5000}.5}}',  # a long float is not an int
    ],
)
def test_strict_reader_accepts_what_is_json(text: str) -> None:
    assert isinstance(loads_strict(text), dict)


# --------------------------------------------------------------------------- verify()


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (HUGE, "json_number_too_long"),
        (f'"{SURROGATE}"', "json_lone_surrogate"),
    ],
    ids=["huge-number", "lone-surrogate"],
)
def test_verify_refuses_json_text_with_a_typed_error(value: str, code: str) -> None:
    text = credential_text(name=value)
    for given in (text, text.encode("utf-8")):
        with pytest.raises(InvalidInputError) as info:
            verification_report(given)
        assert info.value.code == code


def test_verify_refuses_a_dict_holding_a_lone_surrogate() -> None:
    with pytest.raises(InvalidInputError) as info:
        verification_report(ob3_credential(name="Data Privacy \ud800"))
    assert info.value.code == "json_lone_surrogate"


def test_verify_refuses_a_dict_holding_a_huge_integer() -> None:
    with pytest.raises(InvalidInputError) as info:
        verification_report(ob3_credential(name=int(HUGE[:4000]) ** 2))
    assert info.value.code in {"input_not_json", "json_number_too_long"}


def _jws(header: str, payload: str) -> str:
    head = base64url_encode(header.encode("utf-8"))
    body = base64url_encode(payload.encode("utf-8"))
    signing_input = f"{head}.{body}"
    return f"{signing_input}.{base64url_encode(ISSUER.sign(signing_input.encode('ascii')))}"


@pytest.mark.parametrize("bad", [HUGE, f'"{SURROGATE}"'], ids=["huge-number", "lone-surrogate"])
@pytest.mark.parametrize("part", ["header", "payload"])
def test_verify_refuses_a_jwt_whose_json_is_unreadable(part: str, bad: str) -> None:
    header = json.dumps(kid_header())
    payload = credential_text()
    if part == "header":
        header = header[:-1] + f', "x": {bad}}}'
    else:
        payload = credential_text(name=bad)
    report = verification_report(_jws(header, payload))
    assert not report.verified
    assert [code for _, code in failures(report)] == ["jwt_bad_json"]


def _png_with(text: bytes) -> bytes:
    def chunk(ctype: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(ctype + data))
        return struct.pack(">I", len(data)) + ctype + data + crc

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"iTXt", b"openbadgecredential\x00\x00\x00\x00\x00" + text)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def _svg_with(text: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="{OB3_SVG_NAMESPACE}">'
        f"<openbadges:credential><![CDATA[{text}]]></openbadges:credential></svg>"
    )


@pytest.mark.parametrize("bad", [HUGE, f'"{SURROGATE}"'], ids=["huge-number", "lone-surrogate"])
def test_baked_images_with_unreadable_json_give_typed_errors(bad: str) -> None:
    text = credential_text(name=bad)
    for image in (_png_with(text.encode("utf-8")), _svg_with(text)):
        with pytest.raises(BakingError) as baking:
            unbake(image)
        assert baking.value.code == "credential_malformed"
        with pytest.raises(InvalidInputError) as info:
            verification_report(image)
        assert info.value.code == "credential_malformed"


@pytest.mark.parametrize("bad", [HUGE, f'"{SURROGATE}"'], ids=["huge-number", "lone-surrogate"])
def test_status_checker_refuses_an_unreadable_status_list(bad: str) -> None:
    document = '{"id": "https://hs-voorbeeld.example/status/1", "x": ' + bad + "}"
    checker = StatusChecker(fetcher=lambda url: document.encode("utf-8"))
    with pytest.raises(StatusListError) as info:
        checker.check(STATUS_ENTRY, expected_issuer=ISSUER.did_key)
    assert info.value.code == "status_list_malformed"


def test_every_refusal_is_a_mcbadge_error() -> None:
    for text in (credential_text(name=HUGE), credential_text(name=f'"{SURROGATE}"')):
        try:
            verification_report(text)
        except McBadgeError:
            continue
        pytest.fail("the unreadable JSON was not refused")


@pytest.mark.parametrize("bad", [HUGE, f'"{SURROGATE}"'], ids=["huge-number", "lone-surrogate"])
def test_sd_jwt_and_status_token_json_is_read_by_the_same_reader(bad: str) -> None:
    from mcbadge._internal.jws import loads_strict as jws_json
    from mcbadge.errors import VerificationError

    with pytest.raises(VerificationError) as info:
        jws_json(('{"vct": ' + bad + "}").encode("utf-8"), "the SD-JWT payload", "sdjwt_bad_json")
    assert info.value.code == "sdjwt_bad_json"

"""Baking credentials into PNG and SVG (OB3 §5.3) and getting them out again."""

from __future__ import annotations

import copy
import json
import struct
import xml.etree.ElementTree as ET
import zlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcbadge.bake import (
    OB3_SVG_NAMESPACE,
    bake,
    bake_png,
    bake_svg,
    detect_format,
    unbake,
    unbake_png,
    unbake_svg,
)
from mcbadge.demo import sample_microcredential
from mcbadge.errors import BakingError, McBadgeError
from mcbadge.issue import issue
from mcbadge.keys import KeyPair
from mcbadge.proofs import verify_proofs

SVG_NS = "http://www.w3.org/2000/svg"
CREDENTIAL_TAG = f"{{{OB3_SVG_NAMESPACE}}}credential"


# --------------------------------------------------------------------------------------------
# helpers


def chunk(ctype: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data))


def make_png(width: int = 2, height: int = 2, *, extra: bytes = b"") -> bytes:
    """A valid greyscale PNG, built by hand (no imaging library)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    raw = b"".join(
        b"\x00" + bytes([(x * 97 + y * 31) % 256 for x in range(width)]) for y in range(height)
    )
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + extra
        + chunk(b"tEXt", b"Software\x00mcbadge tests")
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def split_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    out = []
    pos = 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        out.append((png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return out


def join_chunks(chunks: list[tuple[bytes, bytes]]) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunk(t, d) for t, d in chunks)


def itxt(keyword: bytes, text: bytes, *, compressed: bool = False) -> bytes:
    flag = b"\x01\x00" if compressed else b"\x00\x00"
    return chunk(b"iTXt", keyword + b"\x00" + flag + b"\x00\x00" + text)


def code_of(exc_info: pytest.ExceptionInfo[BakingError]) -> str:
    return exc_info.value.code


SVG = """<?xml version="1.0" encoding="UTF-8"?>
<!-- a badge, drawn by hand -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 100 100" data-note="a &gt; b">
  <title>Badge &amp; co</title>
  <circle cx="50" cy="50" r="40" fill="#123456"/>
  <?keep this-processing-instruction?>
  <use xlink:href="#c"/>
</svg>
"""


@pytest.fixture(scope="module")
def key() -> KeyPair:
    return KeyPair.generate("Ed25519")


@pytest.fixture(scope="module")
def unsigned(key: KeyPair) -> dict[str, Any]:
    cred = sample_microcredential().to_credential(
        id="urn:uuid:3c9a3f7e-5a7b-4a57-8d1c-2b7e1f0a9d11",
        valid_from="2026-11-23T10:00:00Z",
        issuer_id=key.did_key,
    )
    doc: dict[str, Any] = cred.to_json_dict()
    return doc


@pytest.fixture(scope="module")
def signed(key: KeyPair, unsigned: dict[str, Any]) -> dict[str, Any]:
    return issue(unsigned, key)


@pytest.fixture(scope="module")
def token(key: KeyPair, unsigned: dict[str, Any]) -> str:
    return issue(unsigned, key, format="jwt")


def verifies(credential: dict[str, Any]) -> bool:
    results = verify_proofs(credential)
    return bool(results) and all(r.verified for r in results)


# --------------------------------------------------------------------------------------------
# PNG


def test_png_di_credential_round_trips_equal_and_still_verifies(signed: dict[str, Any]) -> None:
    original = copy.deepcopy(signed)
    baked = bake_png(make_png(), signed)
    out = unbake_png(baked)
    assert out == signed
    assert signed == original  # input untouched
    assert isinstance(out, dict)
    assert verifies(out)


def test_png_jwt_round_trips_as_the_exact_token(token: str) -> None:
    baked = bake_png(make_png(), token)
    assert unbake_png(baked) == token


def test_png_chunk_is_one_uncompressed_itxt_right_after_ihdr(signed: dict[str, Any]) -> None:
    png = make_png()
    baked = bake_png(png, signed)
    chunks = split_chunks(baked)
    assert [t for t, _ in chunks] == [b"IHDR", b"iTXt", b"tEXt", b"IDAT", b"IEND"]
    keyword, rest = chunks[1][1].split(b"\x00", 1)
    assert keyword == b"openbadgecredential"
    assert rest[:2] == b"\x00\x00"  # compression flag 0, method 0
    assert rest[2:4] == b"\x00\x00"  # empty language tag, empty translated keyword
    assert json.loads(rest[4:].decode("utf-8")) == signed
    # every original chunk is kept byte for byte, CRCs included
    assert baked.replace(baked[33 : 33 + 12 + len(chunks[1][1])], b"") == png


def test_png_tampered_credential_unbakes_but_no_longer_verifies(signed: dict[str, Any]) -> None:
    baked = bake_png(make_png(), signed)
    chunks = split_chunks(baked)
    ctype, data = chunks[1]
    assert b'"creditsEarned":5' in data
    # a tamperer who knows PNG recomputes the CRC
    chunks[1] = (ctype, data.replace(b'"creditsEarned":5', b'"creditsEarned":30'))
    tampered = join_chunks(chunks)
    out = unbake_png(tampered)
    assert isinstance(out, dict)
    assert out["credentialSubject"]["creditsEarned"] == 30
    assert not verifies(out)


def test_png_tampered_without_fixing_the_crc_is_reported_as_corrupt(
    signed: dict[str, Any],
) -> None:
    baked = bake_png(make_png(), signed)
    tampered = baked.replace(b'"creditsEarned":5', b'"creditsEarned":7')
    with pytest.raises(BakingError) as exc:
        unbake_png(tampered)
    assert code_of(exc) == "png_crc_mismatch"
    assert exc.value.details["chunk"] == "iTXt"


def test_png_with_a_corrupt_crc_is_refused_for_baking(token: str) -> None:
    png = bytearray(make_png())
    png[-20] ^= 0xFF  # inside the IDAT chunk's data
    with pytest.raises(BakingError) as exc:
        bake_png(bytes(png), token)
    assert code_of(exc) == "png_crc_mismatch"


@pytest.mark.parametrize(
    ("image", "code"),
    [
        (b"GIF89a" + b"\x00" * 40, "png_signature_invalid"),
        (make_png()[:-6], "png_truncated"),
        (make_png()[:-12], "png_truncated"),
        (make_png() + b"junk after IEND", "png_malformed"),
        (b"\x89PNG\r\n\x1a\n" + chunk(b"IDAT", b"") + chunk(b"IEND", b""), "png_malformed"),
        (make_png().replace(b"tEXt", b"t3Xt"), "png_malformed"),
    ],
    ids=["not-png", "cut-in-iend", "no-iend", "trailing", "no-ihdr", "bad-chunk-type"],
)
def test_png_malformed_images_are_refused_with_a_code(image: bytes, code: str) -> None:
    with pytest.raises(BakingError) as exc:
        unbake_png(image)
    assert code_of(exc) == code


def test_png_double_bake_is_refused_unless_replace(signed: dict[str, Any], token: str) -> None:
    baked = bake_png(make_png(), signed)
    with pytest.raises(BakingError) as exc:
        bake_png(baked, token)
    assert code_of(exc) == "already_baked"
    replaced = bake_png(baked, token, replace=True)
    assert unbake_png(replaced) == token
    assert [t for t, _ in split_chunks(replaced)].count(b"iTXt") == 1


def test_png_with_two_credential_chunks_is_refused(token: str) -> None:
    two = make_png(extra=itxt(b"openbadgecredential", token.encode()) * 2)
    with pytest.raises(BakingError) as exc:
        unbake_png(two)
    assert code_of(exc) == "multiple_credentials"


def test_png_without_credential_reports_not_baked_or_ob2() -> None:
    with pytest.raises(BakingError) as exc:
        unbake_png(make_png())
    assert code_of(exc) == "not_baked"
    ob2 = make_png(extra=itxt(b"openbadges", b'{"type": "Assertion"}'))
    with pytest.raises(BakingError) as exc:
        unbake_png(ob2)
    assert code_of(exc) == "ob2_badge"


def test_png_compressed_credential_chunk_is_read_within_the_limit(token: str) -> None:
    # OB3 says bakers MUST NOT compress; a reader still accepts it, bounded.
    compressed = make_png(
        extra=itxt(b"openbadgecredential", zlib.compress(token.encode()), compressed=True)
    )
    assert unbake_png(compressed) == token
    bomb = make_png(
        extra=itxt(b"openbadgecredential", zlib.compress(b"{" * 5_000_000), compressed=True)
    )
    with pytest.raises(BakingError) as exc:
        unbake_png(bomb, max_credential_bytes=100_000)
    assert code_of(exc) == "credential_too_large"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (b"not json, not a jws", "credential_malformed"),
        (b'{"a": 1,', "credential_malformed"),
        (b'{"a": 1, "a": 2}', "credential_malformed"),
        (b'{"a": NaN}', "credential_malformed"),
        (b"\xff\xfe{}", "credential_malformed"),
    ],
    ids=["garbage", "truncated-json", "duplicate-member", "nan", "not-utf8"],
)
def test_png_credential_text_must_be_json_object_or_jws(text: bytes, code: str) -> None:
    with pytest.raises(BakingError) as exc:
        unbake_png(make_png(extra=itxt(b"openbadgecredential", text)))
    assert code_of(exc) == code


def test_png_size_limits_are_enforced(signed: dict[str, Any]) -> None:
    with pytest.raises(BakingError) as exc:
        bake_png(make_png(), signed, max_image_bytes=50)
    assert code_of(exc) == "image_too_large"
    with pytest.raises(BakingError) as exc:
        bake_png(make_png(), signed, max_credential_bytes=100)
    assert code_of(exc) == "credential_too_large"


@pytest.mark.parametrize(
    "credential",
    ["not.a jws", "{}", {"x": float("nan")}, {"x": {1, 2}}, 42],
    ids=["bad-jws", "json-string", "nan", "set", "int"],
)
def test_bake_refuses_what_is_not_a_credential(credential: Any) -> None:
    with pytest.raises(BakingError) as exc:
        bake_png(make_png(), credential)
    assert code_of(exc) == "credential_not_bakeable"


def test_baking_errors_are_mcbadge_errors_with_a_stable_code() -> None:
    with pytest.raises(McBadgeError) as exc:
        unbake(b"\x89PNG\r\n\x1a\n")
    assert exc.value.to_dict()["code"] == "png_malformed"


# --------------------------------------------------------------------------------------------
# SVG


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))  # noqa: S314 - our own output, checked for DTDs


def test_svg_di_credential_round_trips_equal_and_still_verifies(signed: dict[str, Any]) -> None:
    original = copy.deepcopy(signed)
    baked = bake_svg(SVG, signed)
    out = unbake_svg(baked)
    assert out == signed
    assert signed == original
    assert isinstance(out, dict)
    assert verifies(out)


def test_svg_di_credential_is_the_first_child_in_cdata(signed: dict[str, Any]) -> None:
    baked = bake_svg(SVG, signed)
    root = parse(baked)
    assert root[0].tag == CREDENTIAL_TAG
    assert "verify" not in root[0].attrib
    assert json.loads(root[0].text or "") == signed
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert "<openbadges:credential><![CDATA[" in baked


def test_svg_jwt_goes_in_the_verify_attribute(token: str) -> None:
    baked = bake_svg(SVG, token)
    root = parse(baked)
    assert root[0].tag == CREDENTIAL_TAG
    assert root[0].attrib["verify"] == token
    assert not (root[0].text or "").strip()
    assert unbake_svg(baked) == token


def test_svg_bake_keeps_the_rest_of_the_document_byte_for_byte(token: str) -> None:
    baked = bake_svg(SVG, token)
    element = f'<openbadges:credential verify="{token}"></openbadges:credential>'
    declaration = ' xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"'
    assert baked.replace(element, "").replace(declaration, "") == SVG


def test_svg_self_closing_root_is_opened(token: str) -> None:
    baked = bake_svg(f'<svg xmlns="{SVG_NS}" width="10"/>', token)
    assert baked.endswith("</svg>")
    assert unbake_svg(baked) == token


def test_svg_root_already_declaring_the_ob3_prefix_is_not_redeclared(token: str) -> None:
    svg = f'<svg xmlns="{SVG_NS}" xmlns:openbadges="{OB3_SVG_NAMESPACE}"><g/></svg>'
    baked = bake_svg(svg, token)
    assert baked.count("xmlns:openbadges") == 1
    assert unbake_svg(baked) == token


def test_svg_tampered_credential_unbakes_but_no_longer_verifies(signed: dict[str, Any]) -> None:
    baked = bake_svg(SVG, signed)
    assert '"creditsEarned": 5' in baked
    tampered = baked.replace('"creditsEarned": 5', '"creditsEarned": 30')
    out = unbake_svg(tampered)
    assert isinstance(out, dict)
    assert out["credentialSubject"]["creditsEarned"] == 30
    assert not verifies(out)


def test_svg_cdata_terminator_inside_the_credential_is_neutralised() -> None:
    credential = {"name": "a]]>b", "list": [[1]], "nested": {"x": "]]]]>>"}}
    baked = bake_svg(SVG, credential)
    assert baked.count("]]>") == 1  # only the real end of the CDATA section
    assert unbake_svg(baked) == credential


def test_svg_multiple_cdata_sections_are_joined_on_unbake() -> None:
    svg = (
        f'<svg xmlns="{SVG_NS}" xmlns:openbadges="{OB3_SVG_NAMESPACE}">'
        '<openbadges:credential><![CDATA[{"name": "a]]]]><![CDATA[>b"}]]></openbadges:credential>'
        "</svg>"
    )
    assert unbake_svg(svg) == {"name": "a]]>b"}


XXE = """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg">&xxe;</svg>"""

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<svg xmlns="http://www.w3.org/2000/svg"><text>&lol9;</text></svg>'
)

EXTERNAL_DTD = (
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
    '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    '<svg xmlns="http://www.w3.org/2000/svg"/>'
)


@pytest.mark.parametrize("svg", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_svg_with_a_dtd_is_refused_for_baking_and_unbaking(svg: str, token: str) -> None:
    # refused before any entity is expanded; the time it takes is measured by `make bench`
    with pytest.raises(BakingError) as exc:
        bake_svg(svg, token)
    assert code_of(exc) == "svg_dtd_forbidden"
    with pytest.raises(BakingError) as exc:
        unbake_svg(svg)
    assert code_of(exc) == "svg_dtd_forbidden"


def test_svg_text_mentioning_doctype_inside_the_credential_is_fine() -> None:
    credential = {"name": "<!DOCTYPE x [<!ENTITY a 'b'>]> &a;"}
    assert unbake_svg(bake_svg(SVG, credential)) == credential


def test_svg_double_bake_is_refused_unless_replace(signed: dict[str, Any], token: str) -> None:
    baked = bake_svg(SVG, signed)
    with pytest.raises(BakingError) as exc:
        bake_svg(baked, token)
    assert code_of(exc) == "already_baked"
    replaced = bake_svg(baked, token, replace=True)
    assert unbake_svg(replaced) == token
    assert replaced.count("<openbadges:credential") == 1
    assert replaced.count("xmlns:openbadges") == 1
    # and back again, including a credential whose JSON holds the closing tag
    tricky = {"note": "</openbadges:credential> ]]>"}
    again = bake_svg(replaced, tricky, replace=True)
    assert unbake_svg(again) == tricky
    assert parse(again)[0].tag == CREDENTIAL_TAG


def test_svg_replace_removes_a_self_closing_credential_element(token: str) -> None:
    svg = (
        f'<svg xmlns="{SVG_NS}" xmlns:openbadges="{OB3_SVG_NAMESPACE}">'
        "<openbadges:credential verify='a.b.c'/><g/></svg>"
    )
    baked = bake_svg(svg, token, replace=True)
    assert unbake_svg(baked) == token
    assert "a.b.c" not in baked
    assert "<g/>" in baked


@pytest.mark.parametrize(
    ("svg", "code"),
    [
        (
            f'<svg xmlns="{SVG_NS}" xmlns:openbadges="{OB3_SVG_NAMESPACE}">'
            '<openbadges:credential verify="a.b.c"/><openbadges:credential verify="d.e.f"/></svg>',
            "multiple_credentials",
        ),
        (f'<svg xmlns="{SVG_NS}"><g/></svg>', "not_baked"),
        (
            f'<svg xmlns="{SVG_NS}" xmlns:openbadges="http://openbadges.org">'
            '<openbadges:assertion verify="https://example.org/a.json"/></svg>',
            "ob2_badge",
        ),
        (
            f'<svg xmlns="{SVG_NS}" xmlns:ob="{OB3_SVG_NAMESPACE}">'
            '<ob:credential verify="a.b.c">{"a": 1}</ob:credential></svg>',
            "credential_malformed",
        ),
        (
            f'<svg xmlns="{SVG_NS}" xmlns:ob="{OB3_SVG_NAMESPACE}"><ob:credential>  </ob:credential></svg>',
            "credential_malformed",
        ),
        (
            f'<svg xmlns="{SVG_NS}" xmlns:ob="{OB3_SVG_NAMESPACE}"><ob:credential><g/></ob:credential></svg>',
            "credential_malformed",
        ),
        (
            f'<svg xmlns="{SVG_NS}" xmlns:ob="{OB3_SVG_NAMESPACE}"><ob:credential verify="x"/></svg>',
            "credential_malformed",
        ),
        ('<html xmlns="http://www.w3.org/1999/xhtml"/>', "svg_not_svg"),
        ("<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "svg_malformed"),
        ("<svg xmlns='http://www.w3.org/2000/svg'>&nbsp;</svg>", "svg_malformed"),
        (
            '<?xml version="1.0" encoding="ISO-8859-1"?><svg xmlns="http://www.w3.org/2000/svg"/>',
            "svg_encoding_unsupported",
        ),
    ],
    ids=[
        "two-credentials",
        "not-baked",
        "ob2",
        "jwt-and-json",
        "empty",
        "child-element",
        "bad-jws",
        "not-svg",
        "not-well-formed",
        "undefined-entity",
        "latin-1",
    ],
)
def test_svg_problems_are_refused_with_a_code(svg: str, code: str) -> None:
    with pytest.raises(BakingError) as exc:
        unbake_svg(svg)
    assert code_of(exc) == code


def test_svg_any_prefix_for_the_ob3_namespace_is_read(token: str) -> None:
    svg = f'<svg xmlns="{SVG_NS}"><ob:credential xmlns:ob="{OB3_SVG_NAMESPACE}" verify="{token}"/></svg>'
    assert unbake_svg(svg) == token


def test_svg_prefix_bound_to_another_namespace_is_a_conflict(token: str) -> None:
    ob2 = f'<svg xmlns="{SVG_NS}" xmlns:openbadges="http://openbadges.org"><g/></svg>'
    with pytest.raises(BakingError) as exc:
        bake_svg(ob2, token)
    assert code_of(exc) == "svg_namespace_conflict"


def test_svg_given_as_utf8_bytes_with_bom_is_accepted(token: str) -> None:
    data = b"\xef\xbb\xbf" + SVG.encode("utf-8")
    baked = bake_svg(data, token)
    assert unbake_svg(baked.encode("utf-8")) == token
    with pytest.raises(BakingError) as exc:
        bake_svg(SVG.encode("utf-16"), token)
    assert code_of(exc) == "svg_encoding_unsupported"


def test_svg_declared_as_ascii_gets_an_ascii_only_credential() -> None:
    svg = '<?xml version="1.0" encoding="US-ASCII"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'
    credential = {"name": "Zoë Ĳzerman 😀"}
    baked = bake_svg(svg, credential)
    assert baked.isascii()
    assert unbake_svg(baked.encode("ascii")) == credential


def test_svg_size_limit_is_enforced(token: str) -> None:
    with pytest.raises(BakingError) as exc:
        unbake_svg(SVG, max_image_bytes=100)
    assert code_of(exc) == "image_too_large"


# --------------------------------------------------------------------------------------------
# either format


def test_generic_bake_sniffs_the_format_and_keeps_the_input_type(
    signed: dict[str, Any], token: str
) -> None:
    png = bake(make_png(), token)
    assert isinstance(png, bytes) and detect_format(png) == "png"
    svg_text = bake(SVG, signed)
    assert isinstance(svg_text, str) and detect_format(svg_text) == "svg"
    svg_bytes = bake(SVG.encode("utf-8"), token)
    assert isinstance(svg_bytes, bytes) and detect_format(svg_bytes) == "svg"
    assert unbake(png) == token
    assert unbake(svg_text) == signed
    assert unbake(svg_bytes) == token


@pytest.mark.parametrize("image", [b"GIF89a....", "plain text", b"", b"\xff\xd8\xff\xe0JFIF"])
def test_generic_unbake_refuses_other_formats(image: bytes | str) -> None:
    with pytest.raises(BakingError) as exc:
        unbake(image)
    assert code_of(exc) == "image_format_unknown"


def test_generic_bake_accepts_an_mcbadge_model(key: KeyPair) -> None:
    cred = sample_microcredential().to_credential(id="urn:uuid:1", issuer_id=key.did_key)
    assert unbake(bake(make_png(), cred)) == cred.to_json_dict()


# --------------------------------------------------------------------------------------------
# properties

# every code point, lone surrogates included, and CDATA / XML trouble makers
_any_text = st.one_of(
    # every character but lone surrogates (issue 10, F10: not Unicode text, refused)
    st.text(st.characters(codec=None, exclude_categories=("Cs",)), max_size=30),
    st.sampled_from(
        ["]]>", "]]]]>", "<![CDATA[", "</openbadges:credential>", "&amp;", "\x00\ufffe\uffff"]
    ),
)


def _nest(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # a named function: hypothesis inspects a lambda's source to check that it recurses,
    # which is unreliable for lambdas spanning several lines
    return st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(_any_text, children, max_size=4),
    )


_json = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        _any_text,
    ),
    _nest,
    max_leaves=20,
)
_credentials = st.dictionaries(_any_text, _json, min_size=1, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credential=_credentials)
def test_any_json_credential_survives_svg_and_png_baking(credential: dict[str, Any]) -> None:
    svg = bake_svg(SVG, credential)
    parse(svg)  # still well-formed XML
    assert unbake_svg(svg) == credential
    assert unbake_png(bake_png(make_png(), credential)) == credential


# --------------------------------------------------------------------------------------------
# issue 10, F14: one credential per image, whatever text chunk a reader looks in


@pytest.mark.parametrize("second_type", [b"tEXt", b"zTXt"])
def test_png_credential_also_in_a_text_chunk_of_another_type_is_refused(
    token: str, signed: dict[str, Any], second_type: bytes
) -> None:
    other = json.dumps(signed).encode()
    body = other if second_type == b"tEXt" else b"\x00" + zlib.compress(other)
    image = make_png(
        extra=itxt(b"openbadgecredential", token.encode())
        + chunk(second_type, b"openbadgecredential\x00" + body)
    )
    with pytest.raises(BakingError) as exc:
        unbake_png(image)
    assert code_of(exc) == "multiple_credentials"
    with pytest.raises(BakingError) as exc:
        unbake(image)
    assert code_of(exc) == "multiple_credentials"


def test_png_credential_only_in_a_text_chunk_is_refused(token: str) -> None:
    image = make_png(extra=chunk(b"tEXt", b"openbadgecredential\x00" + token.encode()))
    with pytest.raises(BakingError) as exc:
        unbake_png(image)
    assert code_of(exc) == "credential_chunk_invalid"


def test_png_baking_over_a_text_chunk_credential_needs_replace_and_removes_it(
    token: str, signed: dict[str, Any]
) -> None:
    image = make_png(extra=chunk(b"tEXt", b"openbadgecredential\x00" + json.dumps(signed).encode()))
    with pytest.raises(BakingError) as exc:
        bake_png(image, token)
    assert code_of(exc) == "already_baked"
    replaced = bake_png(image, token, replace=True)
    assert unbake_png(replaced) == token


def test_svg_with_two_credential_elements_is_refused(token: str, signed: dict[str, Any]) -> None:
    baked = bake_svg(SVG, token)
    two = baked.replace(
        "</svg>",
        f'<openbadges:credential xmlns:openbadges="{OB3_SVG_NAMESPACE}">'
        f"<![CDATA[{json.dumps(signed)}]]></openbadges:credential></svg>",
    )
    with pytest.raises(BakingError) as exc:
        unbake_svg(two)
    assert code_of(exc) == "multiple_credentials"


def test_credential_with_a_lone_surrogate_is_neither_baked_nor_unbaked(token: str) -> None:
    with pytest.raises(BakingError) as exc:
        bake_svg(SVG, {"name": "Data Privacy \ud800"})
    assert code_of(exc) == "credential_not_bakeable"
    with pytest.raises(BakingError) as exc:
        bake_png(make_png(), {"name": "Data Privacy \ud800"})
    assert code_of(exc) == "credential_not_bakeable"
    with pytest.raises(BakingError) as exc:
        unbake_png(make_png(extra=itxt(b"openbadgecredential", b'{"name": "\\ud800"}')))
    assert code_of(exc) == "credential_malformed"

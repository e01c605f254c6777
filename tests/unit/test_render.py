"""The certificate SVG: what it shows, that it is well-formed, and that hostile text is safe."""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from mcbadge.bake import OB3_SVG_NAMESPACE, bake_svg, unbake_svg
from mcbadge.demo import sample_microcredential
from mcbadge.errors import BakingError, InvalidInputError
from mcbadge.issue import issue
from mcbadge.keys import KeyPair
from mcbadge.microcredential import Learner, LearningOutcome, Microcredential, Result
from mcbadge.proofs import verify_proofs
from mcbadge.render import render_and_bake, render_certificate_svg
from tests.strategies.microcredentials import microcredentials

SVG = "{http://www.w3.org/2000/svg}"
# Characters XML 1.0 allows (https://www.w3.org/TR/xml/#charsets)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))  # noqa: S314 - our own output, no DTD


def texts(svg: str) -> list[str]:
    """The content of every <text> element, in document order."""
    return ["".join(t.itertext()) for t in parse(svg).iter(f"{SVG}text")]


def variant(**changes: Any) -> Microcredential:
    """The sample microcredential with some fields changed (validated again)."""
    sample = sample_microcredential()
    fields = {name: getattr(sample, name) for name in type(sample).model_fields}
    fields.update(changes)
    return Microcredential(**fields)


def credential(mc: Microcredential | None = None, **options: Any) -> dict[str, Any]:
    cred = (mc or sample_microcredential()).to_credential(
        id="urn:uuid:0d8f7c1e-8a44-4f0b-9d5e-3e1c2b6a7f90",
        valid_from="2026-11-23T10:00:00Z",
        issuer_id="did:web:www.hs-voorbeeld.nl",
        **options,
    )
    doc: dict[str, Any] = cred.to_json_dict()
    return doc


@pytest.fixture(scope="module")
def key() -> KeyPair:
    return KeyPair.generate("Ed25519")


def test_certificate_is_well_formed_a4_landscape_svg() -> None:
    svg = render_certificate_svg(credential())
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.attrib["width"] == "297mm" and root.attrib["height"] == "210mm"
    _, _, width, height = (float(v) for v in root.attrib["viewBox"].split())
    assert width / height == pytest.approx(297 / 210, rel=1e-3)
    assert root.find(f"{SVG}title") is not None


def test_certificate_shows_every_field_of_the_sample_in_dutch() -> None:
    shown = texts(render_certificate_svg(credential(), lang="nl"))
    joined = "\n".join(shown)
    assert "Jan Jansen" in shown
    assert "Data Privacy in de Zorg" in shown
    assert "Hogeschool Voorbeeld" in shown
    assert "Certificaat" in shown
    assert "NLQF-NIVEAU" in shown and "EQF-NIVEAU" in shown
    assert shown[shown.index("NLQF-NIVEAU") + 1] == "6"
    assert "5 EC (140 uur)" in shown
    assert "8,5" in shown  # the grade, with a Dutch decimal comma
    assert "23 november 2026" in shown
    assert "Voert een DPIA uit voor een zorgtoepassing." in shown
    # the institution by its name, not its DID
    assert "did:web:www.hs-voorbeeld.nl" not in joined
    assert "Uitgegeven door: \u2068Hogeschool Voorbeeld\u2069" in shown
    # the EU mandatory elements on its face
    assert shown[shown.index("TOETSING") + 1] == "toets"
    assert shown[shown.index("DEELNAME") + 1] == "online"
    qa = shown[shown.index("KWALITEITSBORGING") + 1]
    assert qa == "Kwaliteitsborging pilot microcredentials hoger onderwijs"
    assert "urn:uuid:0d8f7c1e-8a44-4f0b-9d5e-3e1c2b6a7f90" in joined


def test_certificate_in_english_uses_english_labels_and_dates() -> None:
    shown = texts(render_certificate_svg(credential(), lang="en"))
    assert "Certificate" in shown
    assert "23 November 2026" in shown
    assert "8.5" in shown
    assert "5 EC (140 hours)" in shown
    assert "NLQF LEVEL" in shown


def test_mbo_certificate_shows_sbu_entry_level_and_completed() -> None:
    mc = variant(ects=None, sbu=240, nlqf="entry", eqf=None, result=Result(grade=None))
    doc = credential(mc, policy="none")
    nl = texts(render_certificate_svg(doc, lang="nl"))
    assert "240 SBU" in nl
    assert nl[nl.index("NLQF-NIVEAU") + 1] == "instroom"
    assert "EQF-NIVEAU" not in nl  # the entry level has no EQF level
    assert "Behaald" in nl
    en = texts(render_certificate_svg(doc, lang="en"))
    assert "Completed" in en and "240 SBU" in en


def test_hashed_learner_name_is_not_shown() -> None:
    doc = credential()
    hashed = copy.deepcopy(doc)
    for identity in hashed["credentialSubject"]["identifier"]:
        if identity["identityType"] == "name":
            identity["hashed"] = True
            identity["identityHash"] = "sha256$" + "ab" * 32
    svg = render_certificate_svg(hashed)
    assert "Jan Jansen" not in svg
    assert "sha256$" not in svg
    assert "de houder van dit credential" in texts(svg)


HOSTILE = '<script>alert(1)</script> & "Ĳ" \x00\x07\x1b\x7f\x85 \ufffe\uffff \ud800 😀 ‮evil‬ אבג'


def test_hostile_learner_name_is_escaped_and_stripped_of_non_xml_characters() -> None:
    doc = credential()
    for identity in doc["credentialSubject"]["identifier"]:
        if identity["identityType"] == "name":
            identity["identityHash"] = HOSTILE
    doc["issuer"]["name"] = "Inst\x0b\x0cituut ]]> &amp;"
    svg = render_certificate_svg(doc)
    assert not _NOT_XML.search(svg)
    assert "<script>" not in svg
    assert "\u202e" not in svg and "\u202c" not in svg  # bidi overrides removed
    shown = texts(svg)
    name = next(t for t in shown if "alert(1)" in t)
    assert name == '<script>alert(1)</script> & "Ĳ" 😀 evil אבג'
    assert "Inst ituut ]]> &amp;" in shown  # vertical tab and form feed became one space
    # a credential holding a lone surrogate is not baked: it is not Unicode text, and no
    # reader could read it back (issue 10, F10)
    with pytest.raises(BakingError) as refused:
        bake_svg(svg, doc)
    assert refused.value.code == "credential_not_bakeable"
    # without it, the baked version is well-formed too, and carries the credential unchanged
    for identity in doc["credentialSubject"]["identifier"]:
        if identity["identityType"] == "name":
            identity["identityHash"] = HOSTILE.replace("\ud800", "")
    baked = bake_svg(svg, doc)
    parse(baked)
    assert unbake_svg(baked) == doc


def test_many_learning_outcomes_are_cut_with_a_count() -> None:
    outcomes = [
        LearningOutcome(text=f"Leeruitkomst {i}: beschrijft en past toe") for i in range(25)
    ]
    shown = texts(render_certificate_svg(credential(variant(learning_outcomes=outcomes))))
    listed = [t for t in shown if t.startswith("Leeruitkomst ")]
    assert 3 <= len(listed) < 25
    assert f"… en nog {25 - len(listed)} leeruitkomsten (zie het credential)" in shown


def test_long_texts_are_wrapped_not_lost() -> None:
    long_unit = "Interprofessioneel samenwerken in de wijkgerichte ouderenzorg en revalidatie"
    long_name = "Zoë Annemarie Wilhelmina van der Berg-Ĳzerman tot Oud-Verhoeven"
    mc = variant(
        learner=Learner(name=long_name),
        unit=sample_microcredential().unit.model_copy(update={"name": long_unit}),
    )
    svg = render_certificate_svg(credential(mc))
    shown = texts(svg)
    assert " ".join(t for t in shown if t in long_unit) == long_unit  # two lines, nothing cut
    assert all(len(t) < 80 for t in shown if t in long_unit)
    assert long_name in shown or " ".join(t for t in shown if t in long_name) == long_name


def test_unknown_language_is_refused() -> None:
    with pytest.raises(InvalidInputError) as exc:
        render_certificate_svg(credential(), lang="de")  # type: ignore[arg-type]
    assert exc.value.code == "unsupported_language"


def test_render_accepts_the_model_and_never_mutates_the_input() -> None:
    model = sample_microcredential().to_credential(id="urn:uuid:1", issuer_id="did:web:hs.nl")
    assert "Jan Jansen" in texts(render_certificate_svg(model))
    doc = credential()
    before = copy.deepcopy(doc)
    render_certificate_svg(doc)
    assert doc == before


def test_render_survives_an_almost_empty_or_odd_credential() -> None:
    odd = {
        "issuer": "did:web:only-an-iri.nl",
        "validFrom": "not a date",
        "credentialSubject": [{"achievement": {"name": ["not", "a", "string"], "alignment": "x"}}],
    }
    for doc in ({}, odd):
        parse(render_certificate_svg(doc))


def test_render_and_bake_data_integrity_credential_verifies_after_unbaking(key: KeyPair) -> None:
    signed = issue(
        sample_microcredential().to_credential(
            id="urn:uuid:1", valid_from="2026-11-23T10:00:00Z", issuer_id=key.did_key
        ),
        key,
    )
    svg = render_and_bake(signed)
    root = parse(svg)
    assert root[0].tag == f"{{{OB3_SVG_NAMESPACE}}}credential"
    assert "Jan Jansen" in texts(svg)
    out = unbake_svg(svg)
    assert out == signed
    assert isinstance(out, dict)
    assert [r.verified for r in verify_proofs(out)] == [True]


def test_render_and_bake_jwt_shows_the_payload_and_bakes_the_token(key: KeyPair) -> None:
    cred = sample_microcredential().to_credential(id="urn:uuid:2", issuer_id=key.did_key)
    token = issue(cred, key, format="jwt")
    svg = render_and_bake(token, lang="en")
    assert "Jan Jansen" in texts(svg)
    assert "Certificate" in texts(svg)
    assert unbake_svg(svg) == token


def test_render_and_bake_refuses_a_string_that_is_not_a_jwt() -> None:
    with pytest.raises(BakingError) as exc:
        render_and_bake("definitely.not.a-jwt")
    assert exc.value.code == "credential_not_bakeable"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mc=microcredentials())
def test_any_generated_microcredential_renders_and_bakes(mc: Microcredential) -> None:
    doc = mc.to_credential(id="urn:uuid:3", valid_from="2026-01-31T23:30:00-01:00").to_json_dict()
    svg = render_certificate_svg(doc)
    assert not _NOT_XML.search(svg)
    shown = texts(svg)
    nlqf = shown[shown.index("NLQF-NIVEAU") + 1]
    assert nlqf == ("instroom" if mc.nlqf == "entry" else str(mc.nlqf))
    assert any(t.endswith((" EC", " SBU")) or " EC (" in t for t in shown)
    assert "31 januari 2026" in shown
    baked = bake_svg(svg, doc)
    parse(baked)
    assert unbake_svg(baked) == doc

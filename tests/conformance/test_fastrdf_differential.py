"""Differential tests: the JSON-LD fast path (``mcbadge.jsonld.fastrdf``) against pyld.

For every document — each example in ``../shared/reference/`` (the OB3 spec and validator
examples, the 1EdTech and W3C vc-di-eddsa documents and proof configurations, the edubadges
conversion output) and thousands of generated ones (builder microcredentials; the same with
random extension fields, unicode and control characters, numbers of every kind, keywords,
value objects, lists and strict-mode violations) — the fast path either produces canonical
N-Quads byte-identical to pyld's, or declines. Further:

* whenever pyld raises (a strict-mode problem, an invalid document, an unloadable context),
  the fast path has declined, so callers get pyld's error unchanged;
* a decline the fast path marks *strict* is never a false alarm: pyld fails on it too;
* through the public cryptosuite the error (type, code and problem kinds) is the same with
  and without the fast path, and ``check_strict`` / ``strict_problems`` agree too;
* builder output is never declined (a regression guard: a decline silently costs 20x).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mcbadge.canon import _canonicalize
from mcbadge.errors import McBadgeError, StrictJsonLdError
from mcbadge.jsonld import fastrdf
from mcbadge.jsonld.loader import DocumentLoader, default_loader
from mcbadge.jsonld.strict import strict_problems
from mcbadge.microcredential import Microcredential
from mcbadge.proofs import get_cryptosuite
from tests.conftest import load_reference_json, reference_path
from tests.pinned import TEST_EXTRA_DOCUMENTS
from tests.strategies.microcredentials import hard_text, microcredentials

# The W3C documents use the VC examples v2 context, which only tests provide.
LOADER = DocumentLoader(extra_documents=TEST_EXTRA_DOCUMENTS)
RDFC = get_cryptosuite("eddsa-rdfc-2022")
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB3_303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ISSUER_DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


# --- the oracle -------------------------------------------------------------------------------


def _pyld(doc: Any, loader: DocumentLoader) -> bytes | McBadgeError:
    """What mcbadge computes without the fast path: the canonical form, or the error."""
    with fastrdf.pyld_only():
        try:
            return RDFC.canonicalize(doc, loader=loader)
        except McBadgeError as exc:
            return exc


def _kinds(error: BaseException) -> list[str]:
    problems = getattr(error, "problems", None) or []
    return sorted(str(p.get("kind")) for p in problems)


def _walk_as_without_remembered_subtrees(
    doc: Any, loader: DocumentLoader
) -> list[Any] | fastrdf.Decline:
    """The fast path's quads, asserted equal (label for label) with subtrees remembered from
    the documents before (the corpus shares achievements and issuers), and without."""
    fastrdf._recent.clear()
    remembered = fastrdf.rdf_quads(doc, loader=loader)
    fastrdf._recent.clear()
    fastrdf._subtrees_enabled = False
    try:
        plain = fastrdf.rdf_quads(doc, loader=loader)
    finally:
        fastrdf._subtrees_enabled = True
    assert remembered == plain
    return plain


def compare(
    doc: Any, loader: DocumentLoader = LOADER, *, public: bool = False
) -> fastrdf.Decline | None:
    """Assert the fast path agrees with pyld on ``doc``; return its decline, if any.

    With ``public``, also check the public cryptosuite (fast path, falling back to pyld)
    gives the same bytes or the same error as pyld alone.
    """
    original = copy.deepcopy(doc)
    fast = _walk_as_without_remembered_subtrees(doc, loader)
    expected = _pyld(doc, loader)  # pyld's canonical form includes its own strict check
    assert doc == original, "an input was modified"
    if isinstance(fast, fastrdf.Decline):
        assert not fast.reason.startswith("internal error"), fast
        if fast.strict:
            # never a false alarm: pyld fails too (with the strict-mode error, or with a
            # JSON-LD error that aborts expansion before the problems are reported)
            assert isinstance(expected, McBadgeError), (fast, expected)
        assert not fastrdf.proves_strict(doc, loader=loader)
    else:
        assert not isinstance(expected, McBadgeError), (
            f"pyld raised {expected!r} but the fast path produced {len(fast)} quads"
        )
        assert _canonicalize(fast, "sha256", None).nquads.encode("utf-8") == expected
        assert fastrdf.proves_strict(doc, loader=loader)
    if public:
        try:
            outcome: bytes | McBadgeError = RDFC.canonicalize(doc, loader=loader)
        except McBadgeError as exc:
            outcome = exc
        if isinstance(expected, bytes):
            assert outcome == expected
        else:
            assert type(outcome) is type(expected), (outcome, expected)
            assert outcome.code == expected.code
            assert _kinds(outcome) == _kinds(expected)
    return fast if isinstance(fast, fastrdf.Decline) else None


# --- reference examples -----------------------------------------------------------------------

REFERENCE_DOCUMENTS = [
    ("ob3", "examples", "spec_example_basic_OpenBadgeCredential.json"),
    ("ob3", "examples", "spec_example_complete_OpenBadgeCredential.json"),
    ("ob3", "examples", "spec_example_EndorsementCredential.json"),
    ("ob3", "examples", "spec_example_achievement_alignment_CASE.json"),
    ("ob3", "examples", "spec_example_skill_assertion_CASE.json"),
    ("ob3", "examples", "spec_impl_testvector_signed_eddsa-rdfc-2022.json"),
    ("ob3", "examples", "validator_ob30_endorsement_eddsa-rdfc-2022.json"),
    ("ob3", "examples", "validator_ob30_simple_v1_Ed25519Signature2020.json"),
    ("ob3", "examples", "edubadges_nl_microcredential_full_ho_unsigned.json"),
    ("vectors", "openbadges-3.0", "obv3p0", "credential-unsigned.json"),
    ("vectors", "vc-di-eddsa", "unsigned.json"),
    ("vectors", "vc-di-eddsa", "employmentAuth.json"),
    ("vectors", "vc-di-eddsa", "eddsa-rdfc-2022", "proofConfigDataInt.json"),
    ("vectors", "vc-di-eddsa", "eddsa-jcs-2022", "proofConfigJCS.json"),
    ("vectors", "vc-di-eddsa", "Ed25519Signature2020", "proofConfigEdSig.json"),
    ("vectors", "vc-di-eddsa", "Ed25519Signature2020", "signedEdSig.json"),
    ("vectors", "vc-di-eddsa", "proof-set-chain", "unsigned.json"),
    ("vectors", "vc-di-eddsa", "proof-set-chain", "signedProofSet1.json"),
    ("vectors", "vc-di-eddsa", "proof-set-chain", "signedProofChain1.json"),
    ("vectors", "vc-di-eddsa", "proof-set-chain", "proofChainTempDoc1.json"),
    ("vectors", "vc-di-eddsa", "proof-set-chain", "proofChainTempDoc2.json"),
    ("edubadges", "elm", "Sample-MC-Annex1-unsigned.jsonld"),
]

# Documents the fast path must handle (not merely agree on by declining).
MUST_HANDLE = {
    "spec_example_basic_OpenBadgeCredential.json",
    "spec_example_complete_OpenBadgeCredential.json",
    "spec_example_EndorsementCredential.json",
    "spec_impl_testvector_signed_eddsa-rdfc-2022.json",
    "credential-unsigned.json",
    "unsigned.json",
    "proofConfigDataInt.json",
    "signedProofChain1.json",
}


def _variants(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The document, and each of its proofs as proof options under the document's context
    (what eddsa-rdfc-2022 canonicalizes), and the document without its proofs."""
    out = [doc]
    proofs = doc.get("proof")
    if proofs is not None and "@context" in doc:
        out.append({k: v for k, v in doc.items() if k != "proof"})
        for proof in proofs if isinstance(proofs, list) else [proofs]:
            options = {k: v for k, v in proof.items() if k != "proofValue"}
            options["@context"] = doc["@context"]
            out.append(options)
    return out


@pytest.mark.parametrize("parts", REFERENCE_DOCUMENTS, ids=lambda parts: parts[-1])
def test_fastrdf_matches_pyld_on_reference_example(parts: tuple[str, ...]) -> None:
    doc = load_reference_json(*parts)
    declines = [compare(variant, public=True) for variant in _variants(doc)]
    if parts[-1] in MUST_HANDLE:
        assert declines[0] is None, declines[0]


def test_fastrdf_matches_pyld_on_edubadges_conversion() -> None:
    import hashlib

    from mcbadge.edubadges import to_microcredential

    folder = ("edubadges", "examples")
    assertion = load_reference_json(*folder, "assertion-ob2-public.json")
    badge_class = load_reference_json(*folder, "badgeclass-ob2-public.microcredential.json")
    issuer = load_reference_json(*folder, "issuer-ob2-public.institution-extensions.json")
    recipient = assertion["recipient"]
    identity = ("s1234567@student.example.edu" + recipient["salt"]).encode("utf-8")
    recipient["identity"] = "sha256$" + hashlib.sha256(identity).hexdigest()
    result = to_microcredential(assertion, badge_class, issuer, learner_name="Ana de Vries")
    doc = result.to_credential(id="urn:uuid:4d1f2a9c-8e3b-4c7d-a6f5-0b9e8d7c6a51").to_json_dict()
    assert compare(doc, default_loader()) is None


def test_fastrdf_matches_pyld_on_rdf_canon_free_reference_json() -> None:
    """Every other JSON-LD document in the reference data (a sweep, so new files count)."""
    import json

    root = reference_path()
    seen = 0
    for path in sorted(root.rglob("*.json")):
        if "rdf-canon" in path.parts or "schemas" in path.parts or "contexts" in path.parts:
            continue
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if isinstance(doc, dict) and "@context" in doc:
            for variant in _variants(doc):
                compare(variant, public=True)
                seen += 1
    assert seen >= 20


# --- generated credentials ----------------------------------------------------------------------


def _credential(mc: Microcredential, *, profile: str = "ob3") -> dict[str, Any]:
    cred = mc.to_credential(
        id="urn:uuid:7b0b4a8e-2f7a-4c1e-9d0e-5f3c2a1b6d4e",
        valid_from="2026-11-23T10:00:00Z",
        issuer_id=ISSUER_DID,
        profile=profile,  # type: ignore[arg-type]
    )
    doc: dict[str, Any] = cred.to_json_dict()
    return doc


def _settings(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@_settings(400)
@given(mc=microcredentials())
def test_fastrdf_handles_every_builder_credential(mc: Microcredential) -> None:
    doc = _credential(mc)
    decline = compare(doc, default_loader())
    assert decline is None, f"the fast path declined builder output: {decline}"
    # and the proof options eddsa-rdfc-2022 canonicalizes with it
    options = {
        "@context": doc["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-11-23T10:00:00Z",
        "verificationMethod": ISSUER_DID + "#" + ISSUER_DID.removeprefix("did:key:"),
        "proofPurpose": "assertionMethod",
    }
    assert compare(options, default_loader()) is None


# Keys: defined terms of the VC and OB3 contexts (valid at some nodes, undefined at others),
# undefined terms, IRIs, compact IRIs, keywords and keyword look-alikes, blank nodes, junk.
DEFINED_KEYS = st.sampled_from(
    [
        "name",
        "description",
        "https://example.org/vocab#ext",
        "http://schema.org/name",
        "urn:x:y",
        "targetName",
        "narrative",
        "creditsAvailable",
        "allowedValue",
    ]
)
KEYS = st.sampled_from(
    [
        "id",
        "type",
        "name",
        "description",
        "image",
        "achievementType",
        "creditsAvailable",
        "alignment",
        "targetUrl",
        "targetType",
        "allowedValue",
        "resultDescription",
        "identifier",
        "hashed",
        "validFrom",
        "proof",
        "proofPurpose",
        "cryptosuite",
        "verificationMethod",
        "credentialSubject",
        "evidence",
        "statusPurpose",
        "jsonSchema",
        "issuer",
        "endorsement",
        "colour",
        "foo",
        "https://example.org/vocab#ext",
        "http://schema.org/name",
        "ext:foo",
        "xsd:string",
        "urn:x:y",
        "@id",
        "@type",
        "@value",
        "@language",
        "@list",
        "@set",
        "@reverse",
        "@graph",
        "@index",
        "@nest",
        "@included",
        "@direction",
        "@json",
        "@foo",
        "_:b0",
        "",
        " ",
        "a b",
        ":x",
        "1:2",
        "//host/p",
        "ö",
    ]
)
TYPES = st.sampled_from(
    [
        "Achievement",
        "AchievementSubject",
        "Profile",
        "Alignment",
        "IdentityObject",
        "IdentifierEntry",
        "Result",
        "ResultDescription",
        "Image",
        "Evidence",
        "Criteria",
        "Address",
        "DataIntegrityProof",
        "VerifiableCredential",
        "OpenBadgeCredential",
        "AchievementCredential",
        "EndorsementCredential",
        "BitstringStatusListEntry",
        "JsonSchema",
        "Bogus",
        "https://example.org/T",
        "ext:T",
        "urn:example:type",
        "_:t",
        "relative/type",
        "@id",
    ]
)
IRIS = st.sampled_from(
    [
        "urn:uuid:0b5c1d27-6f1e-4a5b-8e54-1f0f8c7f1a11",
        "https://example.org/a",
        "https://example.org/a#frag",
        "did:example:123",
        ISSUER_DID,
        "mailto:jan@example.nl",
        "ext:BRIN",
        "relative",
        "../up",
        "/absolute/path",
        "//host/net",
        "?q=1",
        "#frag",
        "",
        "_:b1",
        "https://a b",
        "https://example.org/<bad>",
        "urn:x\u0007y",
        "assertionMethod",
        "authentication",
        "Achievement",
    ]
)
_FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [5.0, -0.0, 0.0, 1.5, 1e-7, -2.5e-9, 1e20, 1e21, 1e300, 2.0**53, 2.0**60, 0.1, 1 / 3]
    ),
)
_INTS = st.one_of(
    st.integers(-(2**60), 2**60),
    st.sampled_from([0, -1, 2**53 - 1, 2**53, -(2**53), 10**21, 10**22]),
)
SCALARS = st.one_of(
    hard_text,
    st.text(max_size=8),
    IRIS,
    st.booleans(),
    _INTS,
    _FLOATS,
    st.none(),
)


def _value_object() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"@value": st.one_of(SCALARS, st.just({}), st.just([1]))},
        optional={
            "@type": st.one_of(
                st.sampled_from(
                    [
                        "http://www.w3.org/2001/XMLSchema#double",
                        "http://www.w3.org/2001/XMLSchema#integer",
                        "https://www.w3.org/2001/XMLSchema#float",
                        "http://www.w3.org/2001/XMLSchema#string",
                        "urn:dt",
                        "xsd:date",
                        "relative",
                        "_:dt",
                        "@json",
                    ]
                ),
                st.lists(st.just("urn:dt"), min_size=1, max_size=2),
            ),
            "@language": st.sampled_from(["nl", "EN-gb", "en US", "", "x-private"]),
            "@direction": st.sampled_from(["ltr", "rtl"]),
            "@index": st.just("i"),
            "name": st.just("x"),
        },
    )


def _json(depth: int) -> st.SearchStrategy[Any]:
    if depth <= 0:
        return SCALARS
    inner = _json(depth - 1)
    node = st.dictionaries(KEYS, inner, max_size=4).flatmap(
        lambda d: st.fixed_dictionaries(
            {},
            optional={"type": st.one_of(TYPES, st.lists(TYPES, max_size=3)), "id": IRIS},
        ).map(lambda extra: {**d, **extra})
    )
    return st.one_of(
        inner,
        node,
        _value_object(),
        st.lists(inner, max_size=3),
        st.lists(st.lists(inner, max_size=2), max_size=2),
        st.fixed_dictionaries({"@list": st.lists(inner, max_size=2)}),
        st.fixed_dictionaries({"@context": st.sampled_from([VC_V2, [VC_V2, OB3_303]])}).map(
            lambda d: {**d, "id": "urn:x:embedded", "name": "n"}
        ),
    )


JSON_VALUES = _json(2)


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Every JSON object in ``value`` with its path (``@context`` values excluded)."""
    out: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    if isinstance(value, dict):
        out.append((path, value))
        for key, item in value.items():
            if key != "@context":
                out.extend(_nodes(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.extend(_nodes(item, (*path, index)))
    return out


@st.composite
def mutated_credentials(draw: st.DrawFn) -> dict[str, Any]:
    """A builder credential (or a small reference credential) with 1-4 random edits."""
    if draw(st.booleans()):
        doc = _credential(draw(microcredentials()))
    else:
        doc = copy.deepcopy(
            draw(
                st.sampled_from(
                    [
                        load_reference_json(
                            "ob3", "examples", "spec_example_basic_OpenBadgeCredential.json"
                        ),
                        load_reference_json(
                            "ob3", "examples", "spec_example_complete_OpenBadgeCredential.json"
                        ),
                        load_reference_json(
                            "ob3", "examples", "spec_impl_testvector_signed_eddsa-rdfc-2022.json"
                        ),
                        load_reference_json("vectors", "vc-di-eddsa", "unsigned.json"),
                    ]
                )
            )
        )
    for _ in range(draw(st.integers(1, 4))):
        nodes = _nodes(doc)
        _, node = nodes[draw(st.integers(0, len(nodes) - 1))]
        action = draw(st.sampled_from(["add", "add", "replace", "delete", "retype"]))
        keys = [k for k in node if k != "@context"]
        # values are copied: strategies such as st.just({}) hand out one shared object, and
        # inserting it twice could tie the document into a cycle
        if action == "add" or not keys:
            node[draw(st.one_of(DEFINED_KEYS, KEYS))] = copy.deepcopy(draw(JSON_VALUES))
        elif action == "replace":
            node[draw(st.sampled_from(keys))] = copy.deepcopy(draw(JSON_VALUES))
        elif action == "delete":
            del node[draw(st.sampled_from(keys))]
        else:
            node["type"] = draw(st.one_of(TYPES, st.lists(TYPES, max_size=3)))
    return doc


# Counters across the generated examples (read by the decline-rate test below).
_STATS: dict[str, int] = {"handled": 0, "declined": 0, "strict": 0}


def _with_issuer_member(name: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(
        load_reference_json("ob3", "examples", "spec_example_basic_OpenBadgeCredential.json")
    )
    doc["issuer"][name] = value
    return doc


# The case that failed once: an issuer member holding a value object whose @value is an empty
# array. pyld (and jsonld.js) only raise "invalid value object value" for an array with items;
# the empty one vanished and the rest of the object was converted, while the fast path
# declined it as a strict-mode problem.
EMPTY_ARRAY_VALUE = _with_issuer_member("address", {"@value": [], "@language": "nl", "@index": "i"})


@_settings(1400)
@example(doc=EMPTY_ARRAY_VALUE)
@given(doc=mutated_credentials())
def test_fastrdf_matches_pyld_on_mutated_credentials(doc: dict[str, Any]) -> None:
    decline = compare(doc)
    if decline is None:
        _STATS["handled"] += 1
    else:
        _STATS["declined"] += 1
        _STATS["strict"] += decline.strict


def test_mutations_exercise_both_outcomes() -> None:
    """The generator is not degenerate: it produces both handled and declined documents."""
    if _STATS["handled"] + _STATS["declined"] == 0:
        pytest.skip("run together with test_fastrdf_matches_pyld_on_mutated_credentials")
    assert _STATS["handled"] > 0
    assert _STATS["strict"] > 0


# --- numbers ------------------------------------------------------------------------------------

NUMBER_TERMS = ["creditsAvailable", "https://example.org/n", "humanCode"]


@_settings(300)
@given(
    value=st.one_of(_INTS, _FLOATS, st.booleans(), st.lists(_FLOATS, max_size=3)),
    term=st.sampled_from(NUMBER_TERMS),
)
def test_fastrdf_writes_numbers_as_pyld_does(value: Any, term: str) -> None:
    doc: dict[str, Any] = {
        "@context": [VC_V2, OB3_303],
        "id": "https://example.org/a",
        "type": "Achievement",
        term: value,
    }
    decline = compare(doc, default_loader())
    finite = all(
        isinstance(v, bool) or not isinstance(v, float) or math.isfinite(v)
        for v in (value if isinstance(value, list) else [value])
    )
    if decline is not None:
        assert decline.strict or not finite


def test_fastrdf_reads_integral_floats_as_javascript() -> None:
    base = {"@context": [VC_V2, OB3_303], "id": "https://example.org/a", "type": "Achievement"}
    for value, lexical in ((5.0, '"5"'), (-0.0, '"0"'), (5.5, '"5.5E0"')):
        doc = {**base, "creditsAvailable": value, "https://example.org/n": value}
        assert compare(doc, default_loader()) is None
        result = fastrdf.canonicalize(doc)
        assert result is not None
        assert f"<https://example.org/n> {lexical}^^" in result.nquads


# --- strict-mode violations -------------------------------------------------------------------

VIOLATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "undefined_term": lambda d: d["credentialSubject"].update(colour="blue"),
    "undefined_nested_term": lambda d: d["credentialSubject"]["achievement"].update(foo=1),
    "relative_type": lambda d: d["credentialSubject"]["achievement"].update(
        type=["Achievement", "Bogus"]
    ),
    "relative_id": lambda d: d["credentialSubject"]["achievement"].update(id="dpz-01"),
    "relative_iri_value": lambda d: d["credentialSubject"]["achievement"].update(image="badge.png"),
    "reserved_term": lambda d: d.update({"@foo": "x"}),
    "unsafe_big_integer": lambda d: d["credentialSubject"].update(creditsEarned=2**53 + 1),
    "unsafe_tiny_float": lambda d: d["credentialSubject"].update(creditsEarned=1e-9),
    "blank_node_property": lambda d: d.update({"_:p": "x"}),
}


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_fastrdf_declines_strict_violation_with_pyld_error(name: str) -> None:
    from mcbadge.demo import sample_microcredential

    doc = _credential(sample_microcredential())
    VIOLATIONS[name](doc)
    decline = compare(doc, default_loader(), public=True)
    assert decline is not None
    expected = _pyld(doc, default_loader())
    assert isinstance(expected, StrictJsonLdError)
    with pytest.raises(StrictJsonLdError) as info:
        RDFC.canonicalize(doc, loader=default_loader())
    assert _kinds(info.value) == _kinds(expected)
    with fastrdf.pyld_only():
        slow_problems = strict_problems(doc)
    assert strict_problems(doc) == slow_problems != []


def test_fastrdf_unused_decimal_is_not_json() -> None:
    """A non-JSON value (a Decimal) is declined; pyld's path raises InvalidInputError."""
    doc = {"@context": [VC_V2, OB3_303], "type": "Achievement", "creditsAvailable": Decimal(5)}
    decline = compare(doc, default_loader(), public=True)
    assert decline is not None and not decline.strict


@pytest.mark.parametrize(
    "value",
    [
        {"@value": [], "@language": "nl", "@index": "i"},
        {"@value": [], "@language": "nl"},
        {"@value": [], "@type": "urn:dt"},
        {"@value": []},
        {"@value": [[]]},
        {"@value": [1]},
        {"@value": {}},
        [{"@value": [], "@language": "nl"}],
    ],
    ids=repr,
)
@pytest.mark.parametrize("member", ["address", "name", "https://example.org/n"])
def test_an_array_or_object_at_value_is_an_invalid_value_object(value: Any, member: str) -> None:
    """JSON-LD 1.1 expansion: an ``@value`` that is not a scalar or null is an "invalid value
    object value", empty array included, whatever else the object holds; both paths agree."""
    doc = _with_issuer_member(member, value)
    decline = compare(doc, public=True)
    assert decline is not None and not decline.strict
    expected = _pyld(doc, LOADER)
    assert isinstance(expected, McBadgeError)
    assert expected.code == "jsonld_error"
    assert "invalid value object value" in expected.message
    with fastrdf.pyld_only():
        with pytest.raises(McBadgeError, match="invalid value object value"):
            strict_problems(doc, loader=LOADER)


def test_a_json_literal_may_hold_an_array() -> None:
    """``@type: @json`` is the one place an ``@value`` array is valid (JSON-LD 1.1 §4.2.2)."""
    doc = _with_issuer_member("https://example.org/j", {"@value": [], "@type": "@json"})
    compare(doc, public=True)
    assert isinstance(_pyld(doc, LOADER), bytes)

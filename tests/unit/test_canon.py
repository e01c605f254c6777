"""Unit tests for mcbadge.canon: N-Quads parsing/escaping, RDFC-1.0 behaviour, JCS."""

from __future__ import annotations

import copy
import json
import math
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcbadge.canon import (
    DEFAULT_MAX_WORK,
    IRI,
    MAX_RECURSION_DEPTH,
    BlankNode,
    CanonicalResult,
    Literal,
    Quad,
    canonicalize_pyld_dataset,
    jcs,
    parse_nquads,
    quads_from_pyld_dataset,
    rdfc10,
    rdfc10_quads,
    serialize_nquads,
)
from mcbadge.errors import (
    CanonicalizationError,
    CanonicalizationLimitError,
    InvalidInputError,
    McBadgeError,
    NQuadsSyntaxError,
)
from tests.conftest import load_reference_json, reference_path

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
S = IRI("urn:ex:s")
P = IRI("urn:ex:p")


def _literal_line(value: str) -> str:
    return serialize_nquads([Quad(S, P, Literal(value))])


# -- canonical escaping -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("\b", "\\b"),
        ("\f", "\\f"),
        ("\t", "\\t"),
        ("\n", "\\n"),
        ("\r", "\\r"),
        ('"', '\\"'),
        ("\\", "\\\\"),
        ("\x00", "\\u0000"),
        ("\x0b", "\\u000B"),
        ("\x1f", "\\u001F"),
        ("\x7f", "\\u007F"),
        ("'", "'"),
        ("\x80", "\x80"),
        ("\u00a0", "\u00a0"),
        ("\u2028", "\u2028"),
        ("\U0001f600", "\U0001f600"),
        ("plain text", "plain text"),
    ],
)
def test_literal_escaping_follows_rdfc10(value: str, written: str) -> None:
    assert _literal_line(value) == f'<urn:ex:s> <urn:ex:p> "{written}" .\n'


def test_control_characters_round_trip_through_canonical_form() -> None:
    value = "".join(chr(i) for i in range(0x20)) + "\x7f\"\\'"
    line = _literal_line(value)
    assert "\x08" not in line and "\x0c" not in line and "\x7f" not in line
    assert line.count("\n") == 1
    assert parse_nquads(line)[0].object == Literal(value)


def test_canonical_form_differs_from_pyld_raw_control_characters() -> None:
    from pyld import jsonld

    doc = {"@context": {"@vocab": "urn:ex:"}, "@id": "urn:ex:s", "note": "bell\b|feed\f"}
    dataset = jsonld.to_rdf(doc, {})
    ours = canonicalize_pyld_dataset(dataset).nquads
    assert ours == '<urn:ex:s> <urn:ex:note> "bell\\b|feed\\f" .\n'
    pyld_text = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    assert pyld_text != ours  # pyld writes \b and \f raw: the trap this module avoids


def test_xsd_string_datatype_is_omitted_and_langstring_written_as_tag() -> None:
    quads = [
        Quad(S, P, Literal("a", XSD + "string")),
        Quad(S, P, Literal("b", language="nl-NL")),
        Quad(S, P, Literal("5", XSD + "integer")),
    ]
    assert serialize_nquads(quads) == (
        '<urn:ex:s> <urn:ex:p> "a" .\n'
        '<urn:ex:s> <urn:ex:p> "b"@nl-NL .\n'
        '<urn:ex:s> <urn:ex:p> "5"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    )


# -- terms --------------------------------------------------------------------------------------


def test_terms_of_different_kinds_are_never_equal() -> None:
    blank: object = BlankNode("x")
    assert IRI("x") != blank
    assert len({IRI("x"), BlankNode("x"), Literal("x")}) == 3


def test_literal_with_language_gets_langstring_datatype() -> None:
    assert Literal("hoi", language="nl").datatype == RDF_LANGSTRING


def test_literal_rejects_language_with_other_datatype() -> None:
    with pytest.raises(CanonicalizationError, match="rdf:langString"):
        Literal("5", XSD + "integer", "en")


@pytest.mark.parametrize(
    ("term", "message"),
    [
        (IRI("urn:a b"), "U\\+0020"),
        (IRI("urn:a>b"), "U\\+003E"),
        (IRI(""), "no characters"),
        (BlankNode("a b"), "not a valid N-Quads label"),
        (BlankNode(""), "not a valid N-Quads label"),
        (Literal("x", language="en US"), "language tag 'en US'"),
    ],
)
def test_unwritable_terms_raise_named_errors(term: Any, message: str) -> None:
    with pytest.raises(CanonicalizationError, match=message):
        serialize_nquads([Quad(S, P, term)])


def test_quad_positions_are_checked() -> None:
    with pytest.raises(CanonicalizationError, match="subject must be an IRI or blank node"):
        rdfc10_quads([Quad(Literal("x"), P, S)])  # type: ignore[arg-type]
    with pytest.raises(CanonicalizationError, match="predicate must be an IRI"):
        rdfc10_quads([Quad(S, BlankNode("p"), S)])  # type: ignore[arg-type]


# -- parsing ------------------------------------------------------------------------------------


def test_parse_decodes_every_escape() -> None:
    text = '<urn:ex:\\u0073> <urn:ex:p> "\\t\\b\\n\\r\\f\\"\\\'\\\\\\u00e9\\U0001F600" .\n'
    (quad,) = parse_nquads(text)
    assert quad.subject == IRI("urn:ex:s")
    assert quad.object == Literal("\t\b\n\r\f\"'\\\u00e9\U0001f600")


def test_parse_handles_comments_blank_lines_whitespace_and_crlf() -> None:
    text = (
        "# a comment\r\n"
        "\r\n"
        "\t<urn:ex:s>\t<urn:ex:p>   _:b0 .# trailing comment\r\n"
        '_:b0 <urn:ex:p> "x"@en-GB _:g .\n'
        '_:b0 <urn:ex:p> "1" ^^ <http://www.w3.org/2001/XMLSchema#integer> <urn:ex:g>.\n'
        "   \n"
    )
    quads = parse_nquads(text)
    assert quads == [
        Quad(S, P, BlankNode("b0")),
        Quad(BlankNode("b0"), P, Literal("x", language="en-GB"), BlankNode("g")),
        Quad(BlankNode("b0"), P, Literal("1", XSD + "integer"), IRI("urn:ex:g")),
    ]


def test_parse_accepts_blank_node_labels_with_dots_and_unicode() -> None:
    (quad,) = parse_nquads("_:a.b-c_é <urn:ex:p> _:x.")
    assert quad.subject == BlankNode("a.b-c_é")
    assert quad.object == BlankNode("x")


def test_parse_does_not_split_on_unicode_line_separators() -> None:
    (quad,) = parse_nquads('<urn:ex:s> <urn:ex:p> "a\u2028b\x85c\x0cd" .')
    assert quad.object == Literal("a\u2028b\x85c\x0cd")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("<urn:s> <urn:p> <urn:o>", 1, "expected a graph name or '.'"),
        ('\n\n"lit" <urn:p> <urn:o> .', 3, "expected a subject"),
        ("<urn:s> _:p <urn:o> .", 1, "expected a predicate"),
        ("<urn:s> <urn:p> .", 1, "expected an object"),
        ('<urn:s> <urn:p> "unterminated .', 1, "expected an object"),
        ('<urn:s> <urn:p> "bad \\x escape" .', 1, "expected an object"),
        ("<urn:s> <urn:p> <urn:o> <urn:g> <urn:h> .", 1, "expected '.'"),
        ('<urn:s> <urn:p> "x"@ .', 1, "column 20"),
        ("<urn:s> <urn:p> <urn:\\u0020> .", 1, "U\\+0020"),
        ('<urn:s> <urn:p> "\\uD800" .', 1, "not a Unicode scalar value"),
        ('<urn:s> <urn:p> "\\U00110000" .', 1, "not a Unicode scalar value"),
    ],
)
def test_parse_errors_name_line_and_problem(text: str, line: int, message: str) -> None:
    with pytest.raises(NQuadsSyntaxError, match=message) as info:
        parse_nquads(text)
    assert info.value.details["line"] == line
    assert info.value.message.startswith(f"line {line}")
    assert isinstance(info.value, CanonicalizationError)


def test_parse_error_reports_column() -> None:
    with pytest.raises(NQuadsSyntaxError) as info:
        parse_nquads("<urn:s> <urn:p> ?oops .")
    assert info.value.details["column"] == 17
    assert "column 17" in info.value.message and "'?oops .'" in info.value.message


def test_parse_rejects_non_string_input() -> None:
    with pytest.raises(NQuadsSyntaxError, match="must be a str"):
        parse_nquads(b"<urn:s> <urn:p> <urn:o> .")  # type: ignore[arg-type]


# -- RDFC-1.0 -----------------------------------------------------------------------------------


def test_rdfc10_result_shape() -> None:
    result = rdfc10('_:x <urn:ex:p> "v" .\r\n_:y <urn:ex:q> _:x .\n_:y <urn:ex:q> _:x .\n')
    assert isinstance(result, CanonicalResult)
    assert result.nquads.endswith("\n") and result.nquads.count("\n") == 2  # duplicate dropped
    assert sorted(result.issued) == ["x", "y"]
    assert sorted(result.issued.values()) == ["c14n0", "c14n1"]
    assert [q.predicate for q in result.quads] == [IRI("urn:ex:q"), IRI("urn:ex:p")]
    assert result.to_bytes() == result.nquads.encode("utf-8")
    assert result.work == 0


def test_rdfc10_without_blank_nodes_sorts_and_escapes() -> None:
    result = rdfc10(f'<urn:b> <urn:p> "\\u0007" .\n<urn:a> <urn:p> "x"^^<{XSD}string> .\n')
    assert result.nquads == '<urn:a> <urn:p> "x" .\n<urn:b> <urn:p> "\\u0007" .\n'
    assert result.issued == {}
    assert rdfc10("").nquads == ""


def test_rdfc10_quads_does_not_mutate_input() -> None:
    quads = [Quad(BlankNode("z"), P, Literal("1")), Quad(S, P, BlankNode("z"))]
    snapshot = list(quads)
    rdfc10_quads(quads)
    assert quads == snapshot


@pytest.mark.parametrize("algorithm", ["sha256", "SHA256", "sha-384", "SHA384"])
def test_rdfc10_accepts_hash_algorithm_spellings(algorithm: str) -> None:
    result = rdfc10("_:a <urn:p> _:b .", hash_algorithm=algorithm)
    assert result.hash_algorithm in {"sha256", "sha384"}


def test_rdfc10_rejects_unknown_hash_algorithm() -> None:
    with pytest.raises(InvalidInputError, match="unsupported RDFC-1.0 hash algorithm 'md5'"):
        rdfc10("_:a <urn:p> _:b .", hash_algorithm="md5")


@pytest.mark.parametrize("bad", [-1, 1.5, "10", True])
def test_rdfc10_rejects_bad_max_work(bad: Any) -> None:
    with pytest.raises(InvalidInputError, match="max_work"):
        rdfc10("_:a <urn:p> _:b .", max_work=bad)


def _clique(size: int) -> str:
    return "".join(
        f"_:n{i} <urn:ex:p> _:n{j} .\n" for i in range(size) for j in range(size) if i != j
    )


def test_rdfc10_rejects_clique_poison_graph_at_the_work_limit() -> None:
    # the work limit (a count, not a clock) bounds the effort; the time it takes is measured
    # by `make bench` (benchmarks/guards.py)
    with pytest.raises(CanonicalizationLimitError, match="work limit exceeded") as info:
        rdfc10(_clique(10))
    assert info.value.details == {"max_work": DEFAULT_MAX_WORK}
    assert isinstance(info.value, McBadgeError)


def test_rdfc10_max_work_is_configurable() -> None:
    small = _clique(4)
    needed = rdfc10(small).work
    assert needed > 0
    assert rdfc10(small, max_work=needed).nquads == rdfc10(small, max_work=None).nquads
    with pytest.raises(CanonicalizationLimitError):
        rdfc10(small, max_work=needed - 1)


def test_rdfc10_caps_recursion_depth() -> None:
    # Two identical blank-node chains: Hash N-Degree Quads walks each chain recursively.
    length = MAX_RECURSION_DEPTH + 20
    text = "".join(f"_:{c}{i} <urn:ex:next> _:{c}{i + 1} .\n" for c in "xy" for i in range(length))
    with pytest.raises(CanonicalizationLimitError, match="recursion limit") as info:
        rdfc10(text, max_work=None)
    assert info.value.details["max_depth"] == MAX_RECURSION_DEPTH


def test_rdfc10_repeated_related_node_does_not_multiply_work() -> None:
    # A blank graph name mentioned by every quad of a blank node (a Data Integrity proof
    # graph) appears many times in one related-hash group; its orderings are all alike.
    props = "".join(f'_:proof <urn:ex:p{i}> "v" _:graph .\n' for i in range(8))
    text = props + props.replace("_:proof", "_:proof2").replace("_:graph", "_:graph2")
    text += "<urn:ex:a> <urn:ex:proof> _:graph .\n<urn:ex:b> <urn:ex:proof> _:graph2 .\n"
    assert rdfc10(text).work < 50


def test_canonical_result_quads_are_parsed_lazily_and_cached() -> None:
    result = rdfc10("_:a <urn:p> _:b .")
    assert result.quads is result.quads


# -- pyld datasets ------------------------------------------------------------------------------


def _term(kind: str, value: str, **extra: str) -> dict[str, str]:
    return {"type": kind, "value": value, **extra}


PYLD_DATASET: dict[str, Any] = {
    "@default": [
        {
            "subject": _term("IRI", "urn:ex:s"),
            "predicate": _term("IRI", "urn:ex:proof"),
            "object": _term("blank node", "_:b0"),
        },
        {
            "subject": _term("IRI", "urn:ex:s"),
            "predicate": _term("IRI", "urn:ex:name"),
            "object": _term("literal", "Jan", datatype=RDF_LANGSTRING, language="nl"),
        },
    ],
    "_:b0": [
        {
            "subject": _term("blank node", "_:b1"),
            "predicate": _term("IRI", "urn:ex:created"),
            "object": _term("literal", "2024-01-01", datatype=XSD + "date"),
        },
        {
            "subject": _term("blank node", "_:b1"),
            "predicate": _term("IRI", "urn:ex:note"),
            "object": _term("literal", "tab\there", datatype=XSD + "string"),
        },
    ],
}


def test_quads_from_pyld_dataset_converts_every_term_kind() -> None:
    quads = quads_from_pyld_dataset(PYLD_DATASET)
    assert quads == [
        Quad(S, IRI("urn:ex:proof"), BlankNode("b0")),
        Quad(S, IRI("urn:ex:name"), Literal("Jan", language="nl")),
        Quad(
            BlankNode("b1"),
            IRI("urn:ex:created"),
            Literal("2024-01-01", XSD + "date"),
            BlankNode("b0"),
        ),
        Quad(BlankNode("b1"), IRI("urn:ex:note"), Literal("tab\there"), BlankNode("b0")),
    ]


def test_canonicalize_pyld_dataset_matches_nquads_route() -> None:
    via_pyld = canonicalize_pyld_dataset(PYLD_DATASET)
    via_text = rdfc10(serialize_nquads(quads_from_pyld_dataset(PYLD_DATASET)))
    assert via_pyld.nquads == via_text.nquads
    assert via_pyld.issued == via_text.issued
    assert set(via_pyld.issued) == {"b0", "b1"}
    assert '"tab\\there"' in via_pyld.nquads


def test_canonicalize_pyld_dataset_agrees_with_pyld_on_plain_documents() -> None:
    from pyld import jsonld

    doc = {
        "@context": {"@vocab": "urn:ex:", "items": {"@container": "@list"}},
        "@id": "urn:ex:doc",
        "name": {"@value": "naïve 😀", "@language": "fr"},
        "items": [1, 2.5, True, {"kind": "x"}],
        "nested": [{"kind": "a"}, {"kind": "b"}],
    }
    dataset = jsonld.to_rdf(doc, {})
    expected = jsonld.normalize(doc, {"algorithm": "URDNA2015", "format": "application/n-quads"})
    assert canonicalize_pyld_dataset(dataset).nquads == expected


@pytest.mark.parametrize(
    ("dataset", "message"),
    [
        ("not a dict", "expected a dict of graph name to triples, got str"),
        ({"@default": "x"}, "expected a list of triples"),
        ({"@default": [{"subject": _term("IRI", "urn:s")}]}, "triple 0 \\(predicate\\)"),
        (
            {
                "@default": [
                    {
                        "subject": _term("literal", "x"),
                        "predicate": _term("IRI", "urn:p"),
                        "object": _term("IRI", "urn:o"),
                    }
                ]
            },
            "triple 0 \\(subject\\): expected an IRI or a blank node",
        ),
        (
            {
                "@default": [
                    {
                        "subject": _term("blank node", "b0"),
                        "predicate": _term("IRI", "urn:p"),
                        "object": _term("IRI", "urn:o"),
                    }
                ]
            },
            "'_:label'",
        ),
        (
            {
                "@default": [
                    {
                        "subject": _term("IRI", "urn:s"),
                        "predicate": _term("IRI", "urn:p"),
                        "object": _term("literal", "x", datatype=XSD + "string", language="en"),
                    }
                ]
            },
            "rdf:langString",
        ),
    ],
)
def test_malformed_pyld_dataset_errors_name_the_place(dataset: Any, message: str) -> None:
    with pytest.raises(CanonicalizationError, match=message) as info:
        canonicalize_pyld_dataset(dataset)
    assert info.value.code == "canonicalization_bad_dataset"


def test_canonicalize_pyld_dataset_does_not_mutate_input() -> None:
    snapshot = copy.deepcopy(PYLD_DATASET)
    canonicalize_pyld_dataset(PYLD_DATASET)
    quads_from_pyld_dataset(PYLD_DATASET)
    assert snapshot == PYLD_DATASET


def test_pyld_term_with_unhashable_value_is_reported() -> None:
    dataset = {
        "@default": [
            {
                "subject": _term("IRI", "urn:s"),
                "predicate": {"type": "IRI", "value": ["urn:p"]},
                "object": _term("IRI", "urn:o"),
            }
        ]
    }
    with pytest.raises(CanonicalizationError, match=r"triple 0 \(predicate\): malformed term"):
        canonicalize_pyld_dataset(dataset)


def test_pyld_dataset_with_unwritable_iri_is_refused() -> None:
    dataset = {
        "@default": [
            {
                "subject": _term("IRI", "urn:s"),
                "predicate": _term("IRI", "urn:p"),
                "object": _term("IRI", "https://example.com/a b"),
            }
        ]
    }
    with pytest.raises(CanonicalizationError, match="U\\+0020"):
        canonicalize_pyld_dataset(dataset)


# -- property tests -----------------------------------------------------------------------------

_LABELS = ["a", "b", "c", "d", "e"]
_iris = st.sampled_from([IRI(f"urn:ex:{x}") for x in ("s", "t", "p", "q", "g", "é")])
_bnodes = st.sampled_from([BlankNode(x) for x in _LABELS])
_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=8)
_literals = st.one_of(
    st.builds(Literal, _text),
    st.builds(lambda v, lang: Literal(v, language=lang), _text, st.sampled_from(["en", "nl-NL"])),
    st.builds(Literal, _text, st.sampled_from([XSD + "integer", "urn:ex:dt"])),
)
_quads = st.builds(
    Quad,
    st.one_of(_iris, _bnodes),
    _iris,
    st.one_of(_iris, _bnodes, _literals),
    st.one_of(st.none(), _iris, _bnodes),
)
_datasets = st.lists(_quads, max_size=10)


@settings(max_examples=150, deadline=None)
@given(_datasets)
def test_serialize_parse_serialize_is_stable(quads: list[Quad]) -> None:
    text = serialize_nquads(quads)
    parsed = parse_nquads(text)
    assert parsed == quads
    assert serialize_nquads(parsed) == text


@settings(max_examples=150, deadline=None)
@given(_datasets, st.permutations(_LABELS), st.randoms(use_true_random=False))
def test_canonical_form_ignores_blank_node_labels_and_quad_order(
    quads: list[Quad], new_labels: list[str], rng: random.Random
) -> None:
    rename = {old: BlankNode(f"x{new}") for old, new in zip(_LABELS, new_labels, strict=True)}

    def relabel(term: Any) -> Any:
        return rename[term.id] if isinstance(term, BlankNode) else term

    moved = [Quad(*(relabel(t) for t in q)) for q in quads]
    rng.shuffle(moved)
    original = rdfc10_quads(quads, max_work=None)
    relabelled = rdfc10_quads(moved, max_work=None)
    assert relabelled.nquads == original.nquads
    used = {t.id for q in quads for t in q if isinstance(t, BlankNode)}
    assert set(original.issued) == used
    assert sorted(original.issued.values()) == [f"c14n{i}" for i in range(len(used))]
    assert rdfc10(original.nquads, max_work=None).nquads == original.nquads  # idempotent


# -- JCS (RFC 8785) -----------------------------------------------------------------------------


def test_jcs_sorts_keys_by_utf16_code_units() -> None:
    # U+1F600 is a surrogate pair (D83D DE00) in UTF-16, so it sorts *before* U+FB33 although
    # its code point is larger; U+0080 sorts after "1" and before "\u00f6".
    value = {"\ufb33": 1, "\U0001f600": 2, "\u00f6": 3, "\u0080": 4, "1": 5, "\r": 6, "é": 7}
    out = jcs(value).decode("utf-8")
    keys = list(json.loads(out))
    assert keys == ["\r", "1", "\u0080", "é", "\u00f6", "\U0001f600", "\ufb33"]


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0, "0"),
        (-0.0, "0"),
        (0.0, "0"),
        (1.0, "1"),
        (-1.5, "-1.5"),
        (123.456, "123.456"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1.5e300, "1.5e+300"),
        (1e-6, "0.000001"),
        (1e-7, "1e-7"),
        (-1.25e-7, "-1.25e-7"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (0.1 + 0.2, "0.30000000000000004"),
        (333333333.3333333, "333333333.3333333"),
        (9007199254740992, "9007199254740992"),
        (-9007199254740992, "-9007199254740992"),
        (10**21, "1e+21"),
        (2**53 + 1, "9007199254740992"),  # the nearest double, as JSON.parse reads it
        (2**60, "1152921504606847000"),  # shortest digits, then zeros (as JS)
        (True, "true"),
        (None, "null"),
    ],
)
def test_jcs_numbers_follow_ecmascript(number: Any, text: str) -> None:
    assert jcs(number) == text.encode()


def test_jcs_escapes_strings_minimally() -> None:
    value = 'q"b\\s/\b\f\n\r\t\x00\x1f\x7f é€😀\u2028'
    assert jcs(value) == ('"q\\"b\\\\s/\\b\\f\\n\\r\\t\\u0000\\u001f\x7f é€😀\u2028"'.encode())


def test_jcs_has_no_whitespace_and_keeps_array_order() -> None:
    assert jcs({"b": [3, {"z": None, "a": False}], "a": "x"}) == (
        b'{"a":"x","b":[3,{"a":false,"z":null}]}'
    )
    assert jcs(()) == b"[]" and jcs({}) == b"{}"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (math.nan, "NaN and Infinity are not allowed"),
        ({"a": [math.inf]}, r"at \$\.a\[0\]"),
        ({"a": {1, 2}}, r"set at \$\.a is not a JSON value"),
        (b"bytes", "bytes at \\$ is not a JSON value"),
        ({1: "x"}, "object key 1 at \\$ is not a string"),
        (10**400, "too large for an IEEE 754 double"),
        ("\ud800", "lone surrogate \\(U\\+D800\\)"),
    ],
)
def test_jcs_rejects_non_json_values(value: Any, message: str) -> None:
    with pytest.raises(CanonicalizationError, match=message):
        jcs(value)


def test_jcs_rejects_excessive_nesting() -> None:
    deep: Any = []
    for _ in range(600):
        deep = [deep]
    with pytest.raises(CanonicalizationError, match="nesting deeper than"):
        jcs(deep)


def test_jcs_reproduces_eddsa_jcs_2022_vectors() -> None:
    base = ("vectors", "vc-di-eddsa")
    unsigned = load_reference_json(*base, "unsigned.json")
    expected_doc = reference_path(*base, "eddsa-jcs-2022", "canonDocJCS.txt").read_bytes()
    assert jcs(unsigned) == expected_doc.rstrip(b"\n")
    proof_config = load_reference_json(*base, "eddsa-jcs-2022", "proofConfigJCS.json")
    expected_proof = reference_path(*base, "eddsa-jcs-2022", "proofCanonJCS.txt").read_bytes()
    assert jcs(proof_config) == expected_proof.rstrip(b"\n")


def _as_doubles(value: Any) -> Any:
    """JSON numbers are IEEE doubles: compare them as such (``1e16`` may come back as int)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, list):
        return [_as_doubles(v) for v in value]
    return {k: _as_doubles(v) for k, v in value.items()}


def _json_containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # named, not a lambda: hypothesis checks that `extend` recurses by reading its source
    return st.lists(children, max_size=4) | st.dictionaries(
        st.text(st.characters(exclude_categories=["Cs"])), children, max_size=4
    )


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-(2**53), 2**53)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(st.characters(exclude_categories=["Cs"])),
        _json_containers,
        max_leaves=20,
    )
)
def test_jcs_output_parses_back_to_the_same_value(value: Any) -> None:
    out = jcs(value)
    assert _as_doubles(json.loads(out)) == _as_doubles(value)
    assert jcs(json.loads(out)) == out  # canonical form is a fixed point


def test_canonical_bytes_with_a_lone_surrogate_are_a_typed_error() -> None:
    # a lone surrogate has no UTF-8 form: to_bytes() refuses it with a stable code
    result = rdfc10('<urn:s> <urn:p> "\ud800" .\n')
    with pytest.raises(CanonicalizationError) as info:
        result.to_bytes()
    assert info.value.code == "rdfc_invalid_unicode"

"""The compiled JSON Schema validator gives the oracle's verdict (differential tests).

``mcbadge.schema`` lets ``jsonschema_rs`` confirm valid documents and asks the pure-Python
``jsonschema`` validator (the oracle) for everything else. These tests show that on the
reference corpus (every JSON document of ``../shared/reference`` against every schema there,
most of them invalid) and on generated documents the two agree on the verdict and on the
failing paths, and that the public functions answer exactly as the oracle alone does.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcbadge import schema as schema_module
from mcbadge.demo import sample_microcredential
from mcbadge.schema import fast_validator_available, oracle_only, schema_errors
from tests.conftest import load_reference_json

pytest.importorskip("jsonschema_rs")

ACH_SCHEMA = ("ob3", "schemas", "ob_v3p0_achievementcredential_schema.purl-download-2024-09.json")


def _reference_json(root: Path) -> list[tuple[str, Any]]:
    found = []
    for path in sorted(root.rglob("*.json")):
        if "rdf-canon" in path.parts:
            continue
        try:
            found.append((str(path.relative_to(root)), json.loads(path.read_text("utf-8"))))
        except (ValueError, UnicodeDecodeError):
            continue
    return found


def _compiled(schema: dict[str, Any]) -> Any:
    return schema_module._compiled(
        schema_url="x", schema=schema, cache_dir=None, allow_network=False
    )


def _fast_paths(compiled: Any, document: Any) -> set[str]:
    return {
        "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in error.instance_path)
        for error in compiled.fast.iter_errors(document)
    }


def _oracle_paths(compiled: Any, document: Any) -> set[str]:
    return {
        schema_module._pointer(error.absolute_path)
        for error in compiled.oracle.iter_errors(document)
    }


# Where the compiled validator is stricter than the oracle (it then sends the document to the
# oracle, whose answer stands, so only time is lost): ECMA-262 regular expressions, where `$`
# does not match before a final newline and `\d` is ASCII only, unlike Python's `re`.
_STRICTER = {"en\n", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.٣.3.json"}


def _contains_stricter(node: Any) -> bool:
    if isinstance(node, str):
        return node in _STRICTER
    if isinstance(node, dict):
        return any(_contains_stricter(v) for v in node.values())
    if isinstance(node, list):
        return any(_contains_stricter(v) for v in node)
    return False


def _agree(compiled: Any, document: Any) -> None:
    """The compiled validator never accepts what the oracle refuses; where both refuse, they
    name the same failing paths; they differ only on the known stricter cases."""
    oracle = _oracle_paths(compiled, document)
    fast_valid = compiled.fast.is_valid(document)
    if fast_valid:
        assert not oracle, f"compiled accepts what the oracle refuses: {sorted(oracle)}"
    elif oracle:
        assert _fast_paths(compiled, document) == oracle
    else:
        assert _contains_stricter(document), "compiled refuses what the oracle accepts"


def test_the_compiled_validator_is_installed_and_used() -> None:
    assert fast_validator_available()
    with oracle_only():
        assert not fast_validator_available()
    assert fast_validator_available()


def test_reference_corpus_same_verdict_and_failing_paths(reference_dir: Path) -> None:
    documents = _reference_json(reference_dir)
    schemas = [(name, doc) for name, doc in documents if isinstance(doc, dict) and "$schema" in doc]
    assert len(schemas) >= 7
    compared = invalid = 0
    for schema_name, schema in schemas:
        compiled = _compiled(schema)
        if compiled.fast is None:
            continue
        for doc_name, document in documents:
            try:
                _agree(compiled, document)
            except AssertionError as exc:
                raise AssertionError(f"{doc_name} against {schema_name}: {exc}") from None
            compared += 1
            invalid += bool(_oracle_paths(compiled, document))
    assert compared >= 1000
    assert invalid >= compared // 2  # the corpus is mostly negative for any one schema


def test_public_answers_equal_the_oracle_alone(reference_dir: Path) -> None:
    schema = json.loads(reference_dir.joinpath(*ACH_SCHEMA).read_text("utf-8"))
    for _name, document in _reference_json(reference_dir):
        fast = schema_errors(document, schema=schema)
        with oracle_only():
            assert schema_errors(document, schema=schema) == fast


def test_a_value_the_compiled_validator_cannot_read_goes_to_the_oracle() -> None:
    schema = {"$schema": "https://json-schema.org/draft/2019-09/schema", "type": "object"}
    document = {"when": object()}  # not JSON: jsonschema_rs refuses to convert it
    assert schema_errors(document, schema=schema) == []
    assert schema_errors({1: "x"}, schema=schema) == []


@pytest.mark.parametrize("value", sorted(_STRICTER))
def test_where_the_compiled_validator_is_stricter_the_oracle_decides(value: str) -> None:
    document = copy.deepcopy(_BUILT_JSON)
    if value.startswith("https:"):
        document["@context"][1] = value
    else:
        document["credentialSubject"]["achievement"]["inLanguage"] = value
    compiled = _compiled(_ach_schema())
    assert not compiled.fast.is_valid(document)
    assert not _oracle_paths(compiled, document)  # Python's `re`: valid
    assert schema_errors(document, schema=_ach_schema()) == []


def test_an_unknown_format_leaves_the_schema_to_the_oracle() -> None:
    schema = {"properties": {"mail": {"type": "string", "format": "email"}}}
    assert _compiled(schema).fast is None
    assert _compiled({"properties": {"d": {"format": "date-time"}}}).fast is not None


def _ach_schema() -> dict[str, Any]:
    schema: dict[str, Any] = load_reference_json(*ACH_SCHEMA)
    return schema


_BUILT_JSON = (
    sample_microcredential()
    .to_credential(
        id="urn:uuid:7b0b4a8e-2f7a-4c1e-9d0e-5f3c2a1b6d4e", valid_from="2026-09-01T09:00:00Z"
    )
    .to_json_dict()
)


# --- generated documents ------------------------------------------------------------------------

_TRICKY_STRINGS = [
    "",
    "2026-01-01T00:00:00Z",
    "2026-01-01T00:00:00",  # no time zone: refused by mcbadge's parser
    "2026-01-01t00:00:00z",
    "2026-02-30T00:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-01-01T00:00:60Z",
    "2026-01-01T00:00:00.123456789+01:00",
    "2026-01-01",
    "2026-13-01",
    "nl",
    "nl-NL",
    "en\n",  # Python's $ matches before a final newline
    "nl-Latn-NL",
    "ext:Foo",
    "ext:",
    "urn:uuid:7b0b4a8e-2f7a-4c1e-9d0e-5f3c2a1b6d4e",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.٣.3.json",  # a non-ASCII digit
    "a.b.c",
    "Achievement",
    "AchievementSubject",
    "OpenBadgeCredential",
    "VerifiableCredential",
    "Profile",
    "\u0000",
    "é",
]

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1.0, 0.0, -0.0, 5.0]),
    st.sampled_from(_TRICKY_STRINGS),
    st.text(max_size=12),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["id", "type", "name", "x"]), inner, max_size=3),
    ),
    max_leaves=6,
)


def _locations(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _locations(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _locations(value, (*path, index))


@st.composite
def _mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        places = [p for p in _locations(document) if p]
        if not places:
            break
        path = draw(st.sampled_from(places))
        parent: Any = document
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "wrap", "add"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "wrap":
            parent[path[-1]] = [parent[path[-1]]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "id", "type", "achievementType"]))] = draw(
                _values
            )
        else:
            parent[path[-1]] = draw(_values)
    return document


@pytest.fixture(scope="module")
def ach_compiled() -> Any:
    return _compiled(_ach_schema())


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=_mutated(_BUILT_JSON))
def test_generated_credentials_same_verdict_and_failing_paths(
    ach_compiled: Any, document: dict[str, Any]
) -> None:
    _agree(ach_compiled, document)


def test_the_builder_credential_is_valid_for_both(ach_compiled: Any) -> None:
    _agree(ach_compiled, _BUILT_JSON)
    assert ach_compiled.fast.is_valid(_BUILT_JSON)

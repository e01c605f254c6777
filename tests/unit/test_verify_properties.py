"""Property: any single change to a signed credential is refused.

One credential is signed once per format (Data Integrity with ``eddsa-rdfc-2022`` and with
``eddsa-jcs-2022``, and VC-JWT); hypothesis then changes it in one place — a value, a key's
name, a deleted or added member, a value nested one level deeper, an array reordered — and
``verification_report`` must not verify the result.

What "a change" means depends on what is signed:

* ``eddsa-jcs-2022`` and VC-JWT sign the JSON text: *every* change must be refused.
* ``eddsa-rdfc-2022`` signs the RDF graph. Changes that leave the graph alone are not
  changes to what was signed, and verifying them is correct: reordering an array that is an
  RDF set (``type``, ``identifier``…), wrapping a value in a one-element array, adding
  ``null`` or an empty array,
  adding a context that defines unused terms. The RDF strategy does not generate those;
  everything else it does generate must be refused.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mcbadge._internal.multibase import base64url_decode, base64url_encode
from mcbadge.verify import verification_report
from tests.unit.test_verify import clock, ob3_credential, sign, sign_jwt

Path = tuple[str | int, ...]
Mode = Literal["rdf", "json"]


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


def _credential() -> dict[str, Any]:
    doc = ob3_credential(validUntil="2030-01-01T00:00:00Z")
    doc["credentialSubject"]["result"] = [
        {"type": ["Result"], "value": "8.5", "resultDescription": "urn:uuid:rd-1"}
    ]
    doc["credentialSubject"]["achievement"]["creditsAvailable"] = 5
    doc["credentialSubject"]["achievement"]["resultDescription"] = [
        {
            "id": "urn:uuid:rd-1",
            "type": ["ResultDescription"],
            "name": "Eindcijfer",
            "resultType": "ScaledScore",
            "valueMin": "1",
            "valueMax": "10",
        }
    ]
    return doc


SIGNED_RDFC = sign(_credential())
SIGNED_JCS = sign(_credential(), suite="eddsa-jcs-2022")
TOKEN = sign_jwt(_credential())
_HEAD, _PAYLOAD, _SIGNATURE = TOKEN.split(".")
PAYLOAD = json.loads(base64url_decode(_PAYLOAD))

# Terms the OB3/VC contexts define, so that a rename or an addition is not simply an
# undefined term (which the strict check would refuse on its own).
DEFINED_TERMS = ["name", "description", "id", "type", "narrative", "value", "image", "url"]


def _paths(node: Any, prefix: Path = ()) -> Iterator[tuple[Path, Any]]:
    yield prefix, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _get(doc: Any, path: Path) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def _lexical(value: Any) -> str:
    return json.dumps(value, sort_keys=True).strip('"').lower()


_scalars = (
    st.text(min_size=1, max_size=12)
    | st.integers(min_value=-(2**31), max_value=2**31)
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)
)


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # named, not a lambda: hypothesis checks that `extend` recurses by reading its source
    return st.lists(inner, min_size=1, max_size=3) | st.dictionaries(
        st.sampled_from(DEFINED_TERMS), inner, min_size=1, max_size=3
    )


_values = st.recursive(_scalars, _containers, max_leaves=6)


@st.composite
def mutations(draw: st.DrawFn, doc: dict[str, Any], mode: Mode) -> dict[str, Any]:
    """``doc`` with exactly one change (never one that RDF cannot see, in ``rdf`` mode)."""
    mutated = copy.deepcopy(doc)
    members = [(p, v) for p, v in _paths(mutated) if p and isinstance(_get(mutated, p[:-1]), dict)]
    items = [(p, v) for p, v in _paths(mutated) if p and isinstance(_get(mutated, p[:-1]), list)]
    containers = [(p, v) for p, v in _paths(mutated) if isinstance(v, dict)]
    arrays = [(p, v) for p, v in _paths(mutated) if isinstance(v, list) and len(v) > 1]
    kinds = ["change", "rename", "delete", "add", "nest", "change_item"]
    if mode == "json":
        kinds += ["wrap", "reorder", "delete_item"]
    elif any(p and p[-1] == "@context" for p, _ in arrays):
        kinds.append("reorder_context")
    kind = draw(st.sampled_from(kinds))

    if kind in ("change", "rename", "delete", "nest", "wrap"):
        path, value = draw(st.sampled_from(members))
        parent, key = _get(mutated, path[:-1]), path[-1]
        if kind == "change":
            new = draw(_values)
            assume(_lexical(new) != _lexical(value))
            parent[key] = new
        elif kind == "rename":
            new_key = draw(st.sampled_from([*DEFINED_TERMS, f"{key}X", str(key).upper()]))
            assume(new_key != key and new_key not in parent)
            if mode == "rdf":
                assume(new_key.lstrip("@") != str(key).lstrip("@"))
            parent[new_key] = parent.pop(key)
        elif kind == "delete":
            del parent[key]
        elif kind == "nest":
            parent[key] = {draw(st.sampled_from(DEFINED_TERMS)): value}
        else:  # wrap: a one-element array (RDF-invisible)
            parent[key] = [value]
    elif kind == "add":
        path, container = draw(st.sampled_from(containers))
        new_key = draw(st.sampled_from([*DEFINED_TERMS, "colour", "creditsEarned"]))
        assume(new_key not in container)
        container[new_key] = draw(_values)
    elif kind == "change_item":
        assume(items)
        path, value = draw(st.sampled_from(items))
        new = draw(_values)
        assume(_lexical(new) != _lexical(value))
        _get(mutated, path[:-1])[path[-1]] = new
    elif kind == "delete_item":
        assume(items)
        path, _ = draw(st.sampled_from(items))
        del _get(mutated, path[:-1])[path[-1]]
    else:  # reorder / reorder_context
        candidates = arrays if kind == "reorder" else [a for a in arrays if a[0][-1] == "@context"]
        path, array = draw(st.sampled_from(candidates))
        order = draw(st.permutations(range(len(array))))
        reordered = [array[i] for i in order]
        assume(reordered != array)
        _get(mutated, path[:-1])[path[-1]] = reordered
    assume(mutated != doc)
    return mutated


_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@st.composite
def same_kind_changes(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with one scalar changed to another *valid* value of the same kind.

    Such a change keeps the document strict JSON-LD and schema-valid, so only the signature
    can notice it: the property below asserts that it does.
    """
    mutated = copy.deepcopy(doc)
    leaves = [
        (p, v)
        for p, v in _paths(mutated)
        if p
        and isinstance(v, str | int | bool)
        and "@context" not in p
        and "type" not in p
        and p[-1] != "proofValue"
    ]
    path, value = draw(st.sampled_from(leaves))
    if isinstance(value, bool):
        new: Any = not value
    elif isinstance(value, int):
        new = draw(st.integers(min_value=0, max_value=1000).filter(lambda n: n != value))
    elif _DATETIME.fullmatch(value):
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        shift = draw(st.integers(min_value=-86400, max_value=86400).filter(bool))
        new = (moment + timedelta(seconds=shift)).strftime("%Y-%m-%dT%H:%M:%SZ")
    elif ":" in value:  # an IRI: stay absolute
        new = value + draw(st.sampled_from("abcxyz0129"))
    else:
        new = draw(st.text(alphabet="abcdefghij ABC123", min_size=1, max_size=12))
    assume(new != value)
    _get(mutated, path[:-1])[path[-1]] = new
    return mutated


def _refused(value: Any) -> None:
    report = verification_report(value, clock=clock)
    assert not report.verified, f"a changed credential verified:\n{report}"


def test_the_unchanged_credentials_verify() -> None:
    for value in (SIGNED_RDFC, SIGNED_JCS, TOKEN):
        assert verification_report(value, clock=clock).verified


@_settings(700)
@given(mutations(SIGNED_RDFC, "rdf"))
def test_any_rdf_visible_change_to_an_rdfc_credential_is_refused(doc: dict[str, Any]) -> None:
    _refused(doc)


@_settings(600)
@given(mutations(SIGNED_JCS, "json"))
def test_any_change_to_a_jcs_credential_is_refused(doc: dict[str, Any]) -> None:
    _refused(doc)


@_settings(800)
@given(mutations(PAYLOAD, "json"))
def test_any_change_to_a_vc_jwt_payload_is_refused(payload: dict[str, Any]) -> None:
    body = base64url_encode(json.dumps(payload, separators=(",", ":")).encode("utf-8"))
    _refused(f"{_HEAD}.{body}.{_SIGNATURE}")


@_settings(200)
@given(st.integers(min_value=0, max_value=len(TOKEN) - 1), st.sampled_from("AQgw_-"))
def test_any_changed_character_of_a_vc_jwt_is_refused(position: int, char: str) -> None:
    assume(TOKEN[position] not in (char, "."))
    changed = TOKEN[:position] + char + TOKEN[position + 1 :]
    try:
        _refused(changed)
    except Exception as exc:  # an unreadable token is refused by raising, also fine
        from mcbadge.errors import InvalidInputError

        if not isinstance(exc, InvalidInputError):
            raise


@_settings(300)
@given(st.data())
def test_same_kind_value_changes_are_caught_by_the_signature(data: st.DataObject) -> None:
    suite = data.draw(st.sampled_from(["rdfc", "jcs"]))
    doc = data.draw(same_kind_changes(SIGNED_RDFC if suite == "rdfc" else SIGNED_JCS))
    report = verification_report(doc, clock=clock)
    assert report.check("proof[0].signature").status == "failed", str(report)  # type: ignore[union-attr]


@_settings(200)
@given(same_kind_changes(PAYLOAD))
def test_same_kind_payload_changes_are_caught_by_the_jwt_signature(
    payload: dict[str, Any],
) -> None:
    body = base64url_encode(json.dumps(payload, separators=(",", ":")).encode("utf-8"))
    report = verification_report(f"{_HEAD}.{body}.{_SIGNATURE}", clock=clock)
    assert report.check("jwt.signature").status == "failed", str(report)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "change",
    ["reorder_type", "wrap_name", "add_null", "duplicate_type"],
)
def test_rdf_invisible_changes_keep_an_rdfc_signature_valid(change: str) -> None:
    """The other side of the property: these are not changes to the signed RDF graph."""
    doc = copy.deepcopy(SIGNED_RDFC)
    subject = doc["credentialSubject"]
    if change == "reorder_type":
        doc["type"] = list(reversed(doc["type"]))
    elif change == "wrap_name":
        doc["name"] = [doc["name"]]
    elif change == "add_null":
        subject["achievement"]["image"] = None
    else:
        doc["type"] = [*doc["type"], "OpenBadgeCredential"]
    signature = verification_report(doc, clock=clock).check("proof[0].signature")
    assert signature is not None and signature.status == "passed"
    jcs = copy.deepcopy(SIGNED_JCS)
    jcs["type"] = list(reversed(jcs["type"]))
    assert not verification_report(jcs, clock=clock).verified


def test_id_written_as_its_keyword_keeps_the_rdf_but_is_refused() -> None:
    # the same RDF graph, but checks read ``id``: not the compact form (issue 10, F1)
    doc = copy.deepcopy(SIGNED_RDFC)
    doc["credentialSubject"]["@id"] = doc["credentialSubject"].pop("id")
    report = verification_report(doc, clock=clock)
    assert [(c.id, c.error_code) for c in report.failed_checks] == [
        ("jsonld.strict", "jsonld_not_compact")
    ]

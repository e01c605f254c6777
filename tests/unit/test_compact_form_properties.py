"""Property (issue 10, F1): no rewrite of a signed document turns a refusal into a pass.

Hypothesis picks a member of a signed document — anywhere: the credential, its status entry,
its proof, an embedded endorsement, the status list credential a fetcher serves — and writes
it another way that JSON-LD reads as the same statement:

* ``iri`` — the key renamed to the full IRI it stands for;
* ``nest`` — the member moved under an ``@nest`` term of an appended inline context;
* ``alias`` — the key renamed to an alias term (same IRI, same type) of an appended context;
* ``wrap`` — a plain value wrapped in a value object (or an IRI in a node reference);
* ``keyword`` — ``id``/``type`` written as ``@id``/``@type``;
* ``included`` — a member of the top node moved to an ``@included`` node with its ``@id``.

For ``eddsa-rdfc-2022`` these keep the signed RDF dataset; for ``eddsa-jcs-2022`` they change
the signed JSON. Either way: a refused document (revoked, expired, an expired or revoked
status list, an expired endorsement) stays refused, and a verified one either verifies with
the same checks or is refused.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcbadge.jsonld import expand
from mcbadge.status import BitstringStatusList, entry, status_list_credential
from tests.unit.test_verify import (
    ISSUER,
    OTHER,
    START,
    FixedStatus,
    endorsement_credential,
    ob3_credential,
    report_of,
    sign,
)

SUITES = ["eddsa-rdfc-2022", "eddsa-jcs-2022"]
MUTATIONS = ("iri", "nest", "alias", "wrap", "keyword", "included")
PROBE = "urn:mcbadge:probe"
LIST_URL = "https://hs-voorbeeld.example/status/1"
Path = tuple[str | int, ...]


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- locating members and what they mean --------------------------------------------------------


def _members(value: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every (object path, key) of the document, outside ``@context`` values."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                continue
            yield path, key
            yield from _members(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _members(item, (*path, index))


def _at(doc: Any, path: Path) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def _find_probe(expanded: Any) -> tuple[str, dict[str, Any]] | None:
    """The expanded key whose value holds the probe, and the expanded value."""
    if isinstance(expanded, list):
        for item in expanded:
            found = _find_probe(item)
            if found:
                return found
    elif isinstance(expanded, dict):
        for key, values in expanded.items():
            if key.startswith("@") and key not in ("@graph",):
                found = _find_probe(values)
                if found:
                    return found
                continue
            for item in values if isinstance(values, list) else [values]:
                if isinstance(item, dict) and PROBE in (item.get("@value"), item.get("@id")):
                    return key, item
            found = _find_probe(values)
            if found:
                return found
    return None


def _meaning(doc: dict[str, Any], path: Path, key: str) -> tuple[str, dict[str, Any]] | None:
    """The IRI ``key`` stands for at ``path`` and how a string value of it expands."""
    probe = copy.deepcopy(doc)
    _at(probe, path)[key] = PROBE
    try:
        return _find_probe(expand(probe, strict=False))
    except Exception:  # noqa: BLE001 - a member the probe cannot stand in for
        return None


# --- the rewrites -------------------------------------------------------------------------------


def _append_context(doc: dict[str, Any], context: dict[str, Any]) -> None:
    current = doc["@context"]
    doc["@context"] = [*(current if isinstance(current, list) else [current]), context]


def mutate(doc: dict[str, Any], path: Path, key: str, how: str) -> dict[str, Any] | None:
    """``doc`` with the member ``key`` at ``path`` rewritten ``how``; ``None`` if not applicable."""
    out = copy.deepcopy(doc)
    holder = _at(out, path)
    value = holder[key]
    if how == "keyword":
        if key not in ("id", "type"):
            return None
        holder["@" + key] = holder.pop(key)
        return out
    if how == "nest":
        _append_context(out, {"mcbNest": "@nest"})
        holder["mcbNest"] = {key: holder.pop(key)}
        return out
    if how == "included":
        if path or "id" not in out or key in ("id", "type"):
            return None
        out["@included"] = [{"id": out["id"], "type": out.get("type"), key: out.pop(key)}]
        return out
    if key.startswith("@") or key in ("id", "type"):
        return None
    meaning = _meaning(doc, path, key)
    if meaning is None:
        return None
    iri, expanded = meaning
    if how == "iri":
        holder[iri] = holder.pop(key)
        return out
    coercion = expanded.get("@type", "@id" if "@id" in expanded else None)
    if how == "alias":
        definition: dict[str, Any] = {"@id": iri}
        if coercion is not None:
            definition["@type"] = coercion
        _append_context(out, {"mcbAlias": definition})
        holder["mcbAlias"] = holder.pop(key)
        return out
    if how == "wrap":
        if not isinstance(value, str | int | float | bool):
            return None
        if coercion == "@id":
            holder[key] = {"id": value}
        elif coercion is not None:
            holder[key] = {"@value": value, "@type": coercion}
        else:
            holder[key] = {"@value": value}
        return out
    raise AssertionError(how)


def _rewrites(doc: dict[str, Any], under: Path = ()) -> list[tuple[Path, str, str]]:
    return [
        (path, key, how)
        for path, key in _members(doc)
        if path[: len(under)] == under
        for how in MUTATIONS
    ]


def _summary(report: Any) -> list[tuple[str, str]]:
    return [(c.id, c.status) for c in report.checks]


# --- the documents ------------------------------------------------------------------------------


@cache
def revoked(suite: str) -> dict[str, Any]:
    status = entry(42, list_url=LIST_URL)
    return sign(ob3_credential(credentialStatus=status), suite=suite)


@cache
def expired(suite: str) -> dict[str, Any]:
    return sign(ob3_credential(validUntil="2026-03-01T00:00:00Z"), suite=suite)


@cache
def valid(suite: str) -> dict[str, Any]:
    return sign(ob3_credential(validUntil="2030-01-01T00:00:00Z"), suite=suite)


@cache
def status_list(suite: str, *, revoked_bit: bool, valid_until: str | None) -> dict[str, Any]:
    bits = BitstringStatusList.create(status_purpose="revocation")
    if revoked_bit:
        bits.revoke(42)
    unsigned = status_list_credential(
        bits, id=LIST_URL, issuer=ISSUER.did_key, valid_from=START, valid_until=valid_until
    )
    return sign(unsigned, suite=suite)


@cache
def endorsed(suite: str) -> dict[str, Any]:
    endorsement = sign(endorsement_credential(validUntil="2026-03-01T00:00:00Z"), OTHER)
    return sign(ob3_credential(endorsement=[endorsement]), suite=suite)


def _pick(data: st.DataObject, doc: dict[str, Any], under: Path = ()) -> dict[str, Any] | None:
    path, key, how = data.draw(st.sampled_from(_rewrites(doc, under)), label="rewrite")
    return mutate(doc, path, key, how)


# --- properties ---------------------------------------------------------------------------------


@pytest.mark.parametrize("suite", SUITES)
@_settings(40)
@given(data=st.data())
def test_no_rewrite_makes_a_revoked_credential_verify(suite: str, data: st.DataObject) -> None:
    checker = FixedStatus(is_set=True)
    assert not report_of(revoked(suite), status_checker=checker).verified
    mutated = _pick(data, revoked(suite))
    if mutated is not None:
        assert not report_of(mutated, status_checker=FixedStatus(is_set=True)).verified


@pytest.mark.parametrize("suite", SUITES)
@_settings(40)
@given(data=st.data())
def test_no_rewrite_makes_an_expired_credential_verify(suite: str, data: st.DataObject) -> None:
    assert not report_of(expired(suite)).verified
    mutated = _pick(data, expired(suite))
    if mutated is not None:
        assert not report_of(mutated).verified


@pytest.mark.parametrize("suite", SUITES)
@_settings(30)
@given(data=st.data())
def test_a_rewrite_of_a_valid_credential_keeps_the_verdict_or_is_refused(
    suite: str, data: st.DataObject
) -> None:
    original = report_of(valid(suite))
    assert original.verified
    mutated = _pick(data, valid(suite))
    if mutated is not None:
        report = report_of(mutated)
        if report.verified:
            assert _summary(report) == _summary(original)


@pytest.mark.parametrize("suite", SUITES)
@pytest.mark.parametrize("replay", ["revoked", "expired"])
@_settings(25)
@given(data=st.data())
def test_no_rewrite_of_the_status_list_hides_a_revocation_or_its_expiry(
    suite: str, replay: str, data: st.DataObject
) -> None:
    if replay == "revoked":
        published = status_list(suite, revoked_bit=True, valid_until=None)
    else:  # an older list, from before the revocation, that has expired
        published = status_list(suite, revoked_bit=False, valid_until="2026-02-01T00:00:00Z")
    credential = revoked("eddsa-rdfc-2022")
    assert not report_of(credential, status_fetcher={LIST_URL: published}.__getitem__).verified
    mutated = _pick(data, published)
    if mutated is not None:
        fetch = {LIST_URL: mutated}.__getitem__
        assert not report_of(credential, status_fetcher=fetch).verified


@pytest.mark.parametrize("suite", SUITES)
@_settings(30)
@given(data=st.data())
def test_no_rewrite_inside_an_endorsement_hides_its_expiry(suite: str, data: st.DataObject) -> None:
    assert not report_of(endorsed(suite)).verified
    mutated = _pick(data, endorsed(suite), under=("endorsement", 0))
    if mutated is not None:
        assert not report_of(mutated).verified

"""Issue 10, F1 and F11: what a check reads is what the signature covers.

An ``eddsa-rdfc-2022`` signature covers the RDF dataset; the checks read JSON members by their
term names. Every rewrite below keeps the dataset (so the signature still verifies) but moves
a member out of the checks' sight. Each must be refused, at verification and at signing, with
``jsonld_not_compact``; the documents the W3C suites send (inline contexts that only add
terms, language-tagged values) must still verify.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from mcbadge import issue
from mcbadge.errors import NonCompactJsonLdError
from mcbadge.jsonld import check_strict
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.status import BitstringStatusList, entry, status_list_credential
from tests.unit.test_verify import (
    ISSUER,
    OTHER,
    START,
    STATUS_ENTRY,
    FixedStatus,
    endorsement_credential,
    failures,
    generic_credential,
    ob3_credential,
    report_of,
    sign,
)

CRED = "https://www.w3.org/2018/credentials#"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
SUITES = ["eddsa-rdfc-2022", "eddsa-jcs-2022"]
NOT_COMPACT = ("jsonld.strict", "jsonld_not_compact")
LIST_URL = "https://hs-voorbeeld.example/status/1"


def revoked_credential(suite: str = "eddsa-rdfc-2022") -> dict[str, Any]:
    return sign(ob3_credential(credentialStatus=dict(STATUS_ENTRY)), suite=suite)


def expired_credential(suite: str = "eddsa-rdfc-2022") -> dict[str, Any]:
    return sign(ob3_credential(validUntil="2026-03-01T00:00:00Z"), suite=suite)


def revoked_report(doc: dict[str, Any]) -> Any:
    return report_of(doc, status_checker=FixedStatus(is_set=True))


# --- the three attacks of the issue ---------------------------------------------------------------


def test_the_originals_are_refused_as_revoked_and_expired() -> None:
    assert failures(revoked_report(revoked_credential())) == [("status", "revoked")]
    assert failures(report_of(expired_credential())) == [("valid_until", "expired")]


def test_revoked_credential_with_credential_status_renamed_to_its_iri_is_refused() -> None:
    doc = revoked_credential()
    doc[CRED + "credentialStatus"] = doc.pop("credentialStatus")
    report = revoked_report(doc)
    assert not report.verified
    assert NOT_COMPACT in failures(report)
    assert report.check("proof[0].signature").status == "skipped"  # type: ignore[union-attr]


def test_expired_credential_with_valid_until_as_iri_and_value_object_is_refused() -> None:
    doc = expired_credential()
    doc[CRED + "validUntil"] = {"@value": doc.pop("validUntil"), "@type": XSD_DATETIME}
    report = report_of(doc)
    assert not report.verified
    assert NOT_COMPACT in failures(report)


def test_revoked_credential_with_status_under_an_appended_nest_term_is_refused() -> None:
    doc = revoked_credential()
    doc["@context"] = [*doc["@context"], {"x": "@nest"}]
    doc["x"] = {"credentialStatus": doc.pop("credentialStatus")}
    report = revoked_report(doc)
    assert not report.verified
    assert NOT_COMPACT in failures(report)
    kinds = {p["kind"] for p in report.check("jsonld.strict").details["problems"]}  # type: ignore[union-attr]
    assert {"nest", "keyword_alias"} <= kinds


# --- the other spellings of the same dataset -----------------------------------------------------


def _alias_for_valid_until(doc: dict[str, Any]) -> None:
    doc["@context"] = [
        *doc["@context"],
        {"expiry": {"@id": CRED + "validUntil", "@type": XSD_DATETIME}},
    ]
    doc["expiry"] = doc.pop("validUntil")


def _valid_until_value_object(doc: dict[str, Any]) -> None:
    doc["validUntil"] = {"@value": doc["validUntil"], "@type": XSD_DATETIME}


def _valid_until_in_included_node(doc: dict[str, Any]) -> None:
    doc["@included"] = [
        {"id": doc["id"], "type": "VerifiableCredential", "validUntil": doc.pop("validUntil")}
    ]


def _status_in_a_set_object(doc: dict[str, Any]) -> None:
    doc["credentialStatus"] = {"@set": [dict(STATUS_ENTRY)]}


def _ob3_type_as_iri(doc: dict[str, Any]) -> None:
    doc["type"] = [
        "VerifiableCredential",
        "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential",
    ]


def _id_as_keyword(doc: dict[str, Any]) -> None:
    doc["@id"] = doc.pop("id")


def _type_merged_from_another_node(doc: dict[str, Any]) -> None:
    # the OB3 type moves to an embedded node that has the credential's own id
    doc["type"] = ["VerifiableCredential"]
    doc["credentialSubject"]["achievement"]["related"] = [
        {"id": doc["id"], "type": ["OpenBadgeCredential"]}
    ]


@pytest.mark.parametrize(
    ("rewrite", "kind"),
    [
        (_alias_for_valid_until, "ambiguous_term"),
        (_valid_until_value_object, "value_object"),
        (_valid_until_in_included_node, "included"),
        (_status_in_a_set_object, "set_object"),
        (_ob3_type_as_iri, "non_compact_iri"),
        (_id_as_keyword, "keyword_spelling"),
    ],
)
def test_spellings_that_hide_a_member_are_refused(rewrite: Any, kind: str) -> None:
    doc = expired_credential()
    rewrite(doc)
    report = report_of(doc)
    assert not report.verified
    assert NOT_COMPACT in failures(report)
    kinds = {p["kind"] for p in report.check("jsonld.strict").details["problems"]}  # type: ignore[union-attr]
    assert kind in kinds


def test_a_checked_type_merged_from_another_node_is_refused() -> None:
    doc = ob3_credential()
    _type_merged_from_another_node(doc)
    with pytest.raises(NonCompactJsonLdError) as info:
        check_strict(doc)
    assert [p["kind"] for p in info.value.problems] == ["node_merge"]


def test_a_prefix_that_rewrites_the_issuer_id_is_refused() -> None:
    doc = generic_credential()
    doc["@context"] = [*doc["@context"], {"did": "https://evil.example/"}]
    with pytest.raises(NonCompactJsonLdError) as info:
        check_strict(doc)
    assert {p["path"] for p in info.value.problems} == {"$.issuer", "$.credentialSubject.id"}


def test_a_reference_that_only_restates_the_document_id_is_allowed() -> None:
    # the OB3 specification's complete example: refreshService.id is the credential's id
    doc = ob3_credential(
        refreshService={"id": "urn:uuid:5b1f2a0e-6c1d-4d0e-9a8b-2f3c4d5e6f70", "type": "Refresh"}
    )
    doc["@context"] = [*doc["@context"], {"Refresh": "https://example.org/#Refresh"}]
    check_strict(doc)


# --- signing refuses what verification refuses, with the same code -------------------------------


@pytest.mark.parametrize("suite", SUITES)
@pytest.mark.parametrize(
    "rewrite",
    [
        _alias_for_valid_until,
        _valid_until_value_object,
        _valid_until_in_included_node,
        _status_in_a_set_object,
        _ob3_type_as_iri,
        _id_as_keyword,
    ],
)
def test_issue_refuses_a_non_compact_credential_with_the_same_code(
    suite: str, rewrite: Any
) -> None:
    doc = ob3_credential(validUntil="2027-01-01T00:00:00Z")
    rewrite(doc)
    with pytest.raises(NonCompactJsonLdError) as info:
        issue(doc, ISSUER, cryptosuite=suite)
    assert info.value.code == "jsonld_not_compact"


def test_issue_refuses_a_member_renamed_to_its_iri() -> None:
    doc = ob3_credential(validUntil="2027-01-01T00:00:00Z")
    doc[CRED + "validUntil"] = doc.pop("validUntil")
    with pytest.raises(NonCompactJsonLdError, match="validUntil"):
        issue(doc, ISSUER)


# --- F11: eddsa-jcs-2022 and appended contexts ----------------------------------------------------


def test_jcs_credential_with_an_appended_language_context_is_refused() -> None:
    doc = sign(ob3_credential(), suite="eddsa-jcs-2022")
    assert report_of(doc).verified
    doc["@context"] = [*doc["@context"], {"@language": "ar"}]
    report = report_of(doc)
    assert failures(report) == [NOT_COMPACT]
    problem = report.check("jsonld.strict").details["problems"][0]  # type: ignore[union-attr]
    assert problem["kind"] == "inline_context_keyword"


@pytest.mark.parametrize("keyword", ["@direction", "@propagate", "@base"])
def test_jcs_appended_contexts_that_change_meaning_are_refused(keyword: str) -> None:
    value = {"@direction": "rtl", "@propagate": False, "@base": "https://evil.example/"}[keyword]
    doc = sign(ob3_credential(), suite="eddsa-jcs-2022")
    doc["@context"] = [*doc["@context"], {keyword: value}]
    assert NOT_COMPACT in failures(report_of(doc))


def test_jcs_appended_context_that_only_adds_a_term_still_verifies() -> None:
    # vc-di-eddsa allows appending; a new term for a new IRI changes no signed member
    doc = sign(ob3_credential(), suite="eddsa-jcs-2022")
    doc["@context"] = [*doc["@context"], {"Extra": "https://example.org/#Extra"}]
    assert report_of(doc).verified


# --- legitimate documents still verify ------------------------------------------------------------


@pytest.mark.parametrize("suite", SUITES)
def test_w3c_style_inline_type_term_and_language_values_verify(suite: str) -> None:
    doc = generic_credential(
        name=[{"@value": "Dog", "@language": "en"}, {"@value": "Chien", "@language": "fr"}],
        description={"@value": "ExampleIssuer", "@language": "en", "@direction": "ltr"},
    )
    doc["@context"] = [
        *doc["@context"],
        {"ExampleTestCredential": "https://example.org/#ExampleTestCredential"},
    ]
    doc["type"] = ["VerifiableCredential", "ExampleTestCredential"]
    assert report_of(sign(doc, suite=suite)).verified


# --- status list credentials and endorsements follow the same rule --------------------------------


def _lists(valid_until: str | None = None, *, revoked: bool) -> dict[str, Any]:
    status_list = BitstringStatusList.create(status_purpose="revocation")
    if revoked:
        status_list.revoke(42)
    published = status_list_credential(
        status_list, id=LIST_URL, issuer=ISSUER.did_key, valid_from=START, valid_until=valid_until
    )
    return {LIST_URL: sign(published)}


def test_expired_status_list_with_valid_until_renamed_is_refused() -> None:
    credential = sign(ob3_credential(credentialStatus=entry(42, list_url=LIST_URL)))
    lists = _lists("2026-02-01T00:00:00Z", revoked=False)
    assert failures(report_of(credential, status_fetcher=lists.__getitem__)) == [
        ("status", "status_list_expired")
    ]
    lists[LIST_URL][CRED + "validUntil"] = lists[LIST_URL].pop("validUntil")
    assert failures(report_of(credential, status_fetcher=lists.__getitem__)) == [
        ("status", "jsonld_not_compact")
    ]


def test_endorsement_with_hidden_valid_until_is_refused() -> None:
    endorsement = sign(endorsement_credential(validUntil="2026-03-01T00:00:00Z"), OTHER)
    outer = sign(ob3_credential(endorsement=[endorsement]))
    assert failures(report_of(outer)) == [("endorsement[0]", "endorsement_invalid")]
    hidden = copy.deepcopy(outer)
    inner = hidden["endorsement"][0]
    inner[CRED + "validUntil"] = inner.pop("validUntil")
    report = report_of(hidden)
    assert not report.verified
    assert NOT_COMPACT in failures(report)  # the outer document holds it too
    nested = report.check("endorsement[0]").report  # type: ignore[union-attr]
    assert nested is not None
    assert NOT_COMPACT in failures(nested)


# --- contexts fetched over the network are held to the same rule --------------------------------


def test_an_alias_from_a_fetched_context_is_refused() -> None:
    # verify(allow_network=True) fetches context URLs it does not know; appending one that
    # only adds an alias for validUntil keeps the signed dataset
    evil_url = "https://contexts.evil.example/alias.jsonld"
    evil = {"@context": {"expiry": {"@id": CRED + "validUntil", "@type": XSD_DATETIME}}}

    def handler(request: httpx.Request) -> httpx.Response:
        assert str(request.url) == evil_url
        return httpx.Response(200, json=evil, headers={"content-type": "application/ld+json"})

    loader = DocumentLoader(allow_network=True, transport=httpx.MockTransport(handler))
    doc = expired_credential()
    doc["@context"] = [*doc["@context"], evil_url]
    doc["expiry"] = doc.pop("validUntil")
    report = report_of(doc, loader=loader)
    assert not report.verified
    assert NOT_COMPACT in failures(report)
    problems = report.check("jsonld.strict").details["problems"]  # type: ignore[union-attr]
    assert [(p["kind"], p["path"]) for p in problems] == [("ambiguous_term", "$.expiry")]

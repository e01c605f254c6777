"""Issue 10, F2: a status list credential must be valid now, be the list its URL names, and
come from the credential's issuer — however a fetcher (or anyone on its path) serves it.

Each replay is served through ``status_fetcher`` for a credential that the current list
marks revoked; none may make the credential verify.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mcbadge import issue
from mcbadge.status import BitstringStatusList, entry, status_list_credential
from tests.unit.test_verify import (
    ISSUER,
    OTHER,
    START,
    failures,
    jwt_payload,
    kid_header,
    ob3_credential,
    raw_jws,
    report_of,
    sign,
)

CRED = "https://www.w3.org/2018/credentials#"
LIST_URL = "https://hs-voorbeeld.example/status/1"
OTHER_URL = "https://hs-voorbeeld.example/status/2"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
SUITES = ["eddsa-rdfc-2022", "eddsa-jcs-2022"]


def _list(
    *,
    revoked: bool,
    url: str = LIST_URL,
    issuer: str = ISSUER.did_key,
    valid_from: str = START,
    valid_until: str | None = None,
) -> dict[str, Any]:
    bits = BitstringStatusList.create(status_purpose="revocation")
    if revoked:
        bits.revoke(42)
    return status_list_credential(
        bits, id=url, issuer=issuer, valid_from=valid_from, valid_until=valid_until
    )


def _credential() -> dict[str, Any]:
    return sign(ob3_credential(credentialStatus=entry(42, list_url=LIST_URL)))


def _status(served: Any) -> list[tuple[str, str | None]]:
    return failures(report_of(_credential(), status_fetcher={LIST_URL: served}.__getitem__))


def test_the_current_list_revokes_the_credential() -> None:
    assert _status(sign(_list(revoked=True))) == [("status", "revoked")]
    assert _status(sign(_list(revoked=False))) == []


# --- valid now -------------------------------------------------------------------------------------


@pytest.mark.parametrize("suite", SUITES)
def test_an_expired_older_list_is_refused(suite: str) -> None:
    older = sign(_list(revoked=False, valid_until="2026-02-01T00:00:00Z"), suite=suite)
    assert _status(older) == [("status", "status_list_expired")]


@pytest.mark.parametrize(
    "hide",
    [
        lambda d: d.__setitem__(CRED + "validUntil", d.pop("validUntil")),
        lambda d: d.__setitem__("validUntil", {"@value": d["validUntil"], "@type": XSD_DATETIME}),
    ],
    ids=["renamed_to_iri", "value_object"],
)
def test_an_expired_older_list_with_its_valid_until_hidden_is_refused(hide: Any) -> None:
    older = sign(_list(revoked=False, valid_until="2026-02-01T00:00:00Z"))
    hide(older)
    assert _status(older) == [("status", "jsonld_not_compact")]


def test_a_list_not_yet_valid_is_refused() -> None:
    future = sign(_list(revoked=False, valid_from="2026-12-01T00:00:00Z"))
    assert _status(future) == [("status", "status_list_not_yet_valid")]


def test_a_vc_jwt_list_whose_exp_has_passed_is_refused_without_valid_until() -> None:
    unsigned = _list(revoked=False)
    payload = jwt_payload(unsigned, exp=1769904000)  # 2026-02-01, before the clock's now
    assert "validUntil" not in unsigned
    assert _status(raw_jws(kid_header(), payload)) == [("status", "status_list_expired")]


def test_a_vc_jwt_list_whose_nbf_is_in_the_future_is_refused() -> None:
    unsigned = _list(revoked=False, valid_from="2026-12-01T00:00:00Z")
    token = issue(unsigned, ISSUER, format="jwt")
    assert _status(token) == [("status", "status_list_not_yet_valid")]


# --- the list its URL names ----------------------------------------------------------------------


def test_a_list_published_for_another_url_is_refused() -> None:
    assert _status(sign(_list(revoked=False, url=OTHER_URL))) == [
        ("status", "status_list_id_mismatch")
    ]


def test_a_list_for_another_url_with_its_id_spelled_as_the_keyword_is_refused() -> None:
    other = sign(_list(revoked=False, url=OTHER_URL))
    other["@id"] = other.pop("id")
    assert _status(other) == [("status", "jsonld_not_compact")]


@pytest.mark.parametrize("suite", SUITES)
def test_a_list_without_an_id_is_refused(suite: str) -> None:
    unsigned = _list(revoked=False)
    del unsigned["id"]
    assert _status(sign(unsigned, suite=suite)) == [("status", "status_list_id_mismatch")]


# --- from the credential's issuer ------------------------------------------------------------------


def test_a_list_of_another_issuer_is_refused() -> None:
    foreign = sign(_list(revoked=False, issuer=OTHER.did_key), OTHER)
    assert _status(foreign) == [("status", "status_list_issuer_mismatch")]


def test_a_list_signed_by_another_key_than_its_issuers_is_refused() -> None:
    forged = sign(_list(revoked=False), OTHER)
    assert _status(forged) == [("status", "status_list_invalid_proof")]


def test_a_tampered_current_list_is_refused() -> None:
    current = sign(_list(revoked=True))
    cleared = copy.deepcopy(current)
    cleared["credentialSubject"]["encodedList"] = sign(_list(revoked=False))["credentialSubject"][
        "encodedList"
    ]
    assert _status(cleared) == [("status", "status_list_invalid_proof")]

"""The VC Data Model 2.0 structure rules (mcbadge.verify.vcdm) and proof sets in verify()."""

from __future__ import annotations

import base64
import hashlib
from importlib import resources
from typing import Any

import pytest

from mcbadge.errors import InvalidInputError
from mcbadge.jsonld.urls import VC_V2_CONTEXT_URL
from mcbadge.verify.vcdm import (
    ALL_RULES,
    related_resources_unchecked,
    structure_problems,
)
from tests.unit.test_verify import (
    ISSUER,
    OTHER,
    failures,
    generic_credential,
    ob3_credential,
    report_of,
    sign,
)

SUBJECT = {"id": "did:example:subject"}


def _bundled_v2_bytes() -> bytes:
    return (
        resources.files("mcbadge.jsonld").joinpath("contexts", "credentials-v2.jsonld").read_bytes()
    )


def codes(credential: dict[str, Any], **options: Any) -> list[str]:
    return [p.code for p in structure_problems(credential, **options)]


# --------------------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("member", "code"),
    [
        ("credentialStatus", "status_malformed"),
        ("refreshService", "refresh_service_invalid"),
        ("termsOfUse", "terms_of_use_invalid"),
        ("evidence", "evidence_invalid"),
        ("credentialSchema", "credential_schema_invalid"),
    ],
)
def test_typed_members_need_a_type(member: str, code: str) -> None:
    entry: dict[str, Any] = {"id": "https://x.example/1"}
    assert codes({"credentialSubject": SUBJECT, member: entry}) == [code]
    assert codes({"credentialSubject": SUBJECT, member: [{**entry, "type": "T"}, {}]}) == [code] * (
        2 if member == "credentialSchema" else 1
    )
    assert codes({"credentialSubject": SUBJECT, member: {**entry, "type": ["A", "B"]}}) == []
    for bad_type in ("", [], [1], 2, None):
        assert codes({"credentialSubject": SUBJECT, member: {**entry, "type": bad_type}}) == [code]
    assert codes({"credentialSubject": SUBJECT, member: "https://x.example/1"}) == [code]
    assert codes({"credentialSubject": SUBJECT, member: []}) == [code]


@pytest.mark.parametrize("member", ["credentialStatus", "termsOfUse", "evidence"])
def test_an_id_when_present_is_one_url(member: str) -> None:
    for bad_id in ("https ://not-a-url.example", ["https://a.example", "https://b.example"], 3):
        assert codes({"credentialSubject": SUBJECT, member: {"type": "T", "id": bad_id}})
    assert codes({"credentialSubject": SUBJECT, member: {"type": "T"}}) == []
    assert codes({"credentialSubject": SUBJECT, member: {"type": "T", "id": "urn:uuid:1"}}) == []


def test_credential_schema_needs_an_id() -> None:
    assert codes({"credentialSubject": SUBJECT, "credentialSchema": {"type": "JsonSchema"}}) == [
        "credential_schema_invalid"
    ]


def test_subject_must_exist_and_make_a_claim() -> None:
    assert codes({}) == ["subject_missing"]
    assert codes({"credentialSubject": []}) == ["subject_missing"]
    assert codes({"credentialSubject": "did:example:1"}) == ["subject_missing"]
    assert codes({"credentialSubject": {}}) == ["subject_empty"]
    assert codes({"credentialSubject": [SUBJECT, {}]}) == ["subject_empty"]
    assert codes({"credentialSubject": [SUBJECT, {"name": "x"}]}) == []


@pytest.mark.parametrize(
    "value",
    [
        "Sat 25 Feb 2023 07:16:31 PM CST",
        "Sun, 26 Feb 2023 01:22:14 +0000",
        "2023-02-26",
        "2023-02-26T01:22:14",  # no time zone: not a dateTimeStamp
        "2023-13-26T01:22:14Z",
        20230226,
    ],
)
def test_dates_must_be_date_time_stamps(value: Any) -> None:
    for name in ("validFrom", "validUntil", "issuanceDate", "expirationDate"):
        assert codes({"credentialSubject": SUBJECT, name: value}) == ["date_malformed"]


def test_valid_until_cannot_precede_valid_from() -> None:
    ok = {"credentialSubject": SUBJECT, "validFrom": "2024-01-01T00:00:00Z"}
    assert codes({**ok, "validUntil": "2024-01-01T00:00:00Z"}) == []
    assert codes({**ok, "validUntil": "2023-12-31T23:59:59Z"}) == ["validity_period_invalid"]
    assert codes({**ok, "validUntil": "2024-01-01T00:30:00+01:00"}) == ["validity_period_invalid"]


# --------------------------------------------------------------------------- related resources


def _digests(data: bytes) -> tuple[str, str]:
    sri = "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
    multibase = "u" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().rstrip("=")
    return sri, multibase


def test_related_resource_digests_of_a_bundled_context_are_checked() -> None:
    sri, multibase = _digests(_bundled_v2_bytes())
    ok = {"id": VC_V2_CONTEXT_URL, "digestSRI": sri, "digestMultibase": multibase}
    assert codes({"credentialSubject": SUBJECT, "relatedResource": ok}) == []
    assert codes({"credentialSubject": SUBJECT, "relatedResource": [ok]}) == []
    # A multihash (Data Integrity §2.6) of the same digest is accepted too.
    multihash = b"\x12\x20" + hashlib.sha256(_bundled_v2_bytes()).digest()
    as_multihash = "u" + base64.urlsafe_b64encode(multihash).decode().rstrip("=")
    assert (
        codes(
            {
                "credentialSubject": SUBJECT,
                "relatedResource": [{**ok, "digestMultibase": as_multihash}],
            }
        )
        == []
    )
    wrong = _digests(b"something else")
    for member, value in (("digestSRI", wrong[0]), ("digestMultibase", wrong[1])):
        bad = {"id": VC_V2_CONTEXT_URL, member: value}
        assert codes({"credentialSubject": SUBJECT, "relatedResource": [bad]}) == [
            "related_resource_digest_mismatch"
        ]


def test_published_digests_of_the_base_context_are_known() -> None:
    # The digests the W3C VC Data Model 2.0 suite uses (the context as w3.org served it in
    # July 2024; its bytes differ from the npm copy mcbadge bundles in layout only).
    resource = {
        "id": VC_V2_CONTEXT_URL,
        "mediaType": "application/ld+json",
        "digestSRI": "sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg",
        "digestMultibase": "uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k",
    }
    assert codes({"credentialSubject": SUBJECT, "relatedResource": [resource]}) == []


@pytest.mark.parametrize(
    ("resource", "code"),
    [
        (VC_V2_CONTEXT_URL, "related_resource_invalid"),
        (
            {"digestMultibase": "uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k"},
            "related_resource_invalid",
        ),
        ({"id": "not a url", "digestSRI": "sha256-" + "A" * 43 + "="}, "related_resource_invalid"),
        ({"id": VC_V2_CONTEXT_URL}, "related_resource_invalid"),
        (
            {"id": VC_V2_CONTEXT_URL, "digestSRI": "sha384-_rCVIV7fSXXTNIvpiq26jRDyj8JG8TDjij"},
            "related_resource_invalid",
        ),
        (
            {"id": VC_V2_CONTEXT_URL, "digestSRI": "md5-" + "A" * 22 + "=="},
            "related_resource_invalid",
        ),
        ({"id": VC_V2_CONTEXT_URL, "digestSRI": "sha256-AAAA"}, "related_resource_invalid"),
        ({"id": VC_V2_CONTEXT_URL, "digestMultibase": "xABC"}, "related_resource_invalid"),
        ({"id": VC_V2_CONTEXT_URL, "digestMultibase": "uAAAA"}, "related_resource_invalid"),
        ({"id": VC_V2_CONTEXT_URL, "digestMultibase": []}, "related_resource_invalid"),
        ({"id": VC_V2_CONTEXT_URL, "digestSRI": 5}, "related_resource_invalid"),
    ],
)
def test_malformed_related_resources_are_refused(resource: Any, code: str) -> None:
    assert codes({"credentialSubject": SUBJECT, "relatedResource": [resource]})[:1] == [code]


def test_related_resource_ids_are_unique() -> None:
    sri, multibase = _digests(_bundled_v2_bytes())
    twice = [
        {"id": VC_V2_CONTEXT_URL, "digestSRI": sri},
        {"id": VC_V2_CONTEXT_URL, "digestMultibase": multibase},
    ]
    assert codes({"credentialSubject": SUBJECT, "relatedResource": twice}) == [
        "related_resource_invalid"
    ]


def test_resources_mcbadge_does_not_hold_are_reported_unchecked() -> None:
    sri, _ = _digests(b"an image")
    credential = {
        "credentialSubject": SUBJECT,
        "relatedResource": [{"id": "https://images.example/1.png", "digestSRI": sri}],
    }
    assert codes(credential) == []
    assert related_resources_unchecked(credential) == ["https://images.example/1.png"]


def test_rules_can_be_chosen_and_unknown_rules_are_refused() -> None:
    credential = {"credentialSubject": {}, "evidence": {}}
    assert codes(credential, rules=["evidence"]) == ["evidence_invalid"]
    assert codes(credential, rules=ALL_RULES) == ["subject_empty", "evidence_invalid"]
    with pytest.raises(InvalidInputError) as caught:
        structure_problems(credential, rules=["nonsense"])  # type: ignore[list-item]
    assert caught.value.code == "invalid_option"


def test_any_json_value_gives_problems_not_exceptions() -> None:
    for value in (None, [], "x", 3, {"credentialSubject": {"id": "x:y"}, "evidence": [None]}):
        assert isinstance(structure_problems(value), list)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- in verify()


def test_verify_reports_the_structure_check() -> None:
    secured = sign(generic_credential(evidence={"id": "https://x.example/e"}))
    assert failures(report_of(secured)) == [("structure", "evidence_invalid")]
    assert report_of(sign(generic_credential())).check("structure").status == "passed"  # type: ignore[union-attr]


def test_verify_refuses_an_untyped_status_under_the_status_check() -> None:
    secured = sign(generic_credential(credentialStatus={"id": "https://x.example/status#1"}))
    assert failures(report_of(secured)) == [("status", "status_malformed")]


def test_verify_refuses_an_empty_subject_of_a_generic_credential() -> None:
    secured = sign(generic_credential(credentialSubject={}))
    assert failures(report_of(secured)) == [("structure", "subject_empty")]


def test_verify_reports_a_refresh_service_without_id_unfollowed() -> None:
    # The VC Data Model 2.0 example of a refresh service has a type and a url, no id.
    service = {
        "type": "https://w3id.org/vc-refresh-service#VerifiableCredentialRefreshService2021",
        "https://w3id.org/vc-refresh-service#url": {"id": "https://r.example/x"},
    }
    report = report_of(sign(generic_credential(refreshService=service)))
    assert report.verified, report
    assert report.check("refresh_service").status == "skipped"  # type: ignore[union-attr]


def test_verify_warns_about_related_resources_it_cannot_check() -> None:
    sri, _ = _digests(b"an image")
    resource = {"id": "https://images.example/1.png", "digestSRI": sri}
    report = report_of(sign(generic_credential(relatedResource=[resource])))
    assert report.verified, report
    assert any("https://images.example/1.png" in w for w in report.warnings)


# --------------------------------------------------------------------------- proof sets


def test_proof_set_with_a_co_signer_verifies_and_names_the_other_signer() -> None:
    first = sign(ob3_credential(), OTHER, proof_id="urn:uuid:first")
    chained = sign(first, ISSUER, previous_proof="urn:uuid:first")
    report = report_of(chained)
    assert report.verified, report
    binding = report.check("proof.issuer_binding")
    assert binding is not None and binding.status == "passed"
    assert binding.details["other_signers"] == [
        {
            "proof": 0,
            "verification_method": OTHER.did_key_verification_method,
            "signer": OTHER.did_key,
        }
    ]
    assert any(OTHER.did_key in w for w in report.warnings)
    # The same with the issuer first and the co-signer's proof alongside (a plain set).
    assert report_of(sign(sign(ob3_credential()), OTHER)).verified


def test_proof_set_without_an_issuer_proof_is_refused() -> None:
    both_foreign = sign(sign(ob3_credential(), OTHER), _third_key())
    assert failures(report_of(both_foreign)) == [("proof.issuer_binding", "issuer_key_mismatch")]


def test_proof_set_with_one_broken_proof_is_refused() -> None:
    signed = sign(sign(ob3_credential()), OTHER)
    signed["proof"][1]["proofValue"] = signed["proof"][0]["proofValue"]
    assert ("proof[1].signature", "signature_invalid") in failures(report_of(signed))
    assert not report_of(signed).verified


def _third_key() -> Any:
    from tests.unit.test_verify import HOLDER

    return HOLDER


# --------------------------------------------------------------------------- at signing


@pytest.mark.parametrize(
    ("changes", "check", "code"),
    [
        ({"evidence": {"id": "https://x.example/e"}}, "structure", "evidence_invalid"),
        ({"termsOfUse": {}}, "structure", "terms_of_use_invalid"),
        ({"credentialSubject": {}}, "structure", "subject_empty"),
        ({"credentialStatus": {"id": "https://x.example/s#1"}}, "status", "status_malformed"),
        (
            {"relatedResource": [{"id": VC_V2_CONTEXT_URL, "digestSRI": _digests(b"x")[0]}]},
            "structure",
            "related_resource_digest_mismatch",
        ),
    ],
)
def test_issue_refuses_what_the_structure_checks_refuse(
    changes: dict[str, Any], check: str, code: str
) -> None:
    from mcbadge.errors import SigningRefusedError
    from mcbadge.issue import issue

    with pytest.raises(SigningRefusedError) as caught:
        issue(generic_credential(**changes), ISSUER)
    assert caught.value.code == code
    assert caught.value.check == check

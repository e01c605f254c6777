"""Bitstring Status Lists interoperate with ``@digitalbazaar/vc-bitstring-status-list``, both ways.

* a list made (and revoked) by mcbadge decodes in Node to the same bits, and a Node list decodes
  in mcbadge to the same bits;
* a credential signed by mcbadge, whose status list credential mcbadge also signed, checks as
  revoked / not revoked in Node (``vc.verifyCredential`` with ``checkStatus`` and the list
  served offline through ``documents``), and a tampered list fails there;
* a status list credential signed by Node checks in mcbadge's :class:`StatusChecker`.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest

from mcbadge.errors import StatusListError
from mcbadge.issue import issue
from mcbadge.keys import KeyPair
from mcbadge.proofs.data_integrity import CryptosuiteName
from mcbadge.status import (
    MIN_ENTRIES,
    BitstringStatusList,
    StatusChecker,
    entry,
    status_list_credential,
)
from tests.interop.conftest import NodeWorker

pytestmark = pytest.mark.interop

LIST_URL = "https://hs-voorbeeld.example/status/7"
REVOKED = (0, 7, 8, 94567, MIN_ENTRIES - 1)


@pytest.fixture(scope="module")
def key() -> KeyPair:
    pair = KeyPair.from_seed(bytes([0x5A]) * 32)
    return pair.with_verification_method(pair.did_key_verification_method)


def _node_key(key: KeyPair) -> dict[str, str]:
    assert key.verification_method is not None
    return {
        "publicKeyMultibase": key.to_multikey(),
        "secretKeyMultibase": key.to_multikey(private=True),
        "id": key.verification_method,
        "controller": key.did_key,
    }


def _credential(key: KeyPair, index: int, purpose: str) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": f"urn:uuid:7d3c1c1e-2a4b-4c6d-8e9f-{index:012d}",
        "type": ["VerifiableCredential"],
        "issuer": key.did_key,
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
        "credentialStatus": entry(index, list_url=LIST_URL, purpose=purpose),
    }


def _mcbadge_list(key: KeyPair, purpose: str, cryptosuite: CryptosuiteName) -> dict[str, Any]:
    status_list = BitstringStatusList.create(status_purpose=purpose)
    for index in REVOKED:
        status_list.set(index, 1)
    return issue(
        status_list_credential(
            status_list, id=LIST_URL, issuer=key.did_key, valid_from="2024-01-01T00:00:00Z"
        ),
        key,
        cryptosuite=cryptosuite,
        created="2024-01-01T00:00:00Z",
    )


def test_a_list_revoked_by_mcbadge_decodes_to_the_same_bits_in_node(
    node_worker: NodeWorker,
) -> None:
    rng = random.Random(4242)
    revoked = sorted({*REVOKED, *rng.sample(range(MIN_ENTRIES), 200)})
    status_list = BitstringStatusList.create()
    for index in revoked:
        status_list.revoke(index)
    decoded = node_worker.call("status_list_decode", encoded_list=status_list.encode())
    assert decoded == {"length": MIN_ENTRIES, "set_indices": revoked}


def test_a_node_list_decodes_to_the_same_bits_in_mcbadge(node_worker: NodeWorker) -> None:
    rng = random.Random(2424)
    revoked = sorted({*REVOKED, *rng.sample(range(2 * MIN_ENTRIES), 200)})
    made = node_worker.call(
        "status_list_create", id=LIST_URL, length=2 * MIN_ENTRIES, set_indices=revoked
    )
    assert made["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert made["credentialSubject"]["id"] == f"{LIST_URL}#list"
    decoded = BitstringStatusList.decode(made["credentialSubject"]["encodedList"])
    assert len(decoded) == 2 * MIN_ENTRIES
    assert decoded.nonzero_indexes() == revoked


def test_mcbadge_and_node_build_the_same_unsigned_status_list_credential(
    node_worker: NodeWorker, key: KeyPair
) -> None:
    made = node_worker.call(
        "status_list_create",
        id=LIST_URL,
        set_indices=list(REVOKED),
        issuer=key.did_key,
        valid_from="2024-01-01T00:00:00Z",
    )
    status_list = BitstringStatusList.create()
    for index in REVOKED:
        status_list.revoke(index)
    ours = status_list_credential(
        status_list, id=LIST_URL, issuer=key.did_key, valid_from="2024-01-01T00:00:00Z"
    )
    # identical except for the GZIP bytes (different deflate implementations)
    for document in (made, ours):
        document["credentialSubject"]["encodedList"] = "<list>"
    assert made == ours


@pytest.mark.parametrize("cryptosuite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
@pytest.mark.parametrize("purpose", ["revocation", "suspension"])
def test_node_checks_mcbadge_credentials_against_a_list_mcbadge_signed(
    node_worker: NodeWorker, key: KeyPair, purpose: str, cryptosuite: CryptosuiteName
) -> None:
    documents = {LIST_URL: _mcbadge_list(key, purpose, cryptosuite)}
    for index, expected in ((94567, True), (94566, False), (MIN_ENTRIES - 1, True)):
        signed = issue(_credential(key, index, purpose), key, created="2024-01-01T00:00:00Z")
        result = node_worker.call(
            "verify_di", credential=signed, documents=documents, check_status="bitstring"
        )
        assert result["verified"] is True, result["errors"]
        assert result["statusResult"]["verified"] is True
        assert result["statusResult"]["results"][0]["status"] is expected
        # the library's own checker, with matching issuers required
        checked = node_worker.call("status_list_check", credential=signed, documents=documents)
        assert checked["verified"] is True, checked["error"]
        assert checked["results"][0]["status"] is expected


def test_node_refuses_a_tampered_list_mcbadge_signed(node_worker: NodeWorker, key: KeyPair) -> None:
    forged = copy.deepcopy(_mcbadge_list(key, "revocation", "eddsa-rdfc-2022"))
    forged["credentialSubject"]["encodedList"] = BitstringStatusList.create().encode()
    signed = issue(_credential(key, 94567, "revocation"), key, created="2024-01-01T00:00:00Z")
    checked = node_worker.call("status_list_check", credential=signed, documents={LIST_URL: forged})
    assert checked["verified"] is False
    # and mcbadge refuses it the same way
    checker = StatusChecker(fetcher={LIST_URL: forged}.__getitem__)
    with pytest.raises(StatusListError) as excinfo:
        checker.check_credential(signed)
    assert excinfo.value.code == "status_list_invalid_proof"


def test_node_sees_a_list_issued_by_another_key_as_not_matching(
    node_worker: NodeWorker, key: KeyPair
) -> None:
    stranger = KeyPair.from_seed(bytes([0x77]) * 32)
    stranger = stranger.with_verification_method(stranger.did_key_verification_method)
    their_list = _mcbadge_list(stranger, "revocation", "eddsa-rdfc-2022")
    signed = issue(_credential(key, 94567, "revocation"), key, created="2024-01-01T00:00:00Z")
    checked = node_worker.call(
        "status_list_check", credential=signed, documents={LIST_URL: their_list}
    )
    assert checked["verified"] is False
    assert "Issuers" in checked["error"]["message"]
    checker = StatusChecker(fetcher={LIST_URL: their_list}.__getitem__)
    with pytest.raises(StatusListError) as excinfo:
        checker.check_credential(signed)
    assert excinfo.value.code == "status_list_issuer_mismatch"


@pytest.mark.parametrize("cryptosuite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_mcbadge_checks_a_list_node_signed(
    node_worker: NodeWorker, key: KeyPair, cryptosuite: str
) -> None:
    node_list = node_worker.call(
        "status_list_create",
        id=LIST_URL,
        set_indices=list(REVOKED),
        key=_node_key(key),
        cryptosuite=cryptosuite,
        created="2024-01-01T00:00:00Z",
        valid_from="2024-01-01T00:00:00Z",
    )
    assert node_list["issuer"] == key.did_key
    checker = StatusChecker(fetcher={LIST_URL: node_list}.__getitem__)
    for index, expected in ((0, True), (7, True), (8, True), (9, False), (94567, True)):
        signed = issue(_credential(key, index, "revocation"), key, created="2024-01-01T00:00:00Z")
        (result,) = checker.check_credential(signed)
        assert result.revoked is expected
        assert result.list_issuer == key.did_key and result.list_verified

"""SD-JWT VC and the Token Status List against ``@sd-jwt/*`` in Node, both ways (issue 14).

* an SD-JWT VC mcbadge issues (OB3 microcredential, ES256, ``cnf``, Token Status List) verifies
  in ``@sd-jwt/sd-jwt-vc`` with the same processed claims, also as a presentation with selected
  Disclosures and a KB-JWT; a revoked one and a forged one are refused there;
* an SD-JWT VC ``@sd-jwt/sd-jwt-vc`` issues (nested and array-element Disclosures) and presents
  with a KB-JWT verifies in mcbadge (``verify_sd_jwt`` and ``mcbadge.verify``);
* status list tokens cross-check with ``@sd-jwt/jwt-status-list`` for 1, 2, 4 and 8 bits.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

import pytest

from mcbadge import issue, verify
from mcbadge.demo import sample_microcredential
from mcbadge.keys import KeyPair
from mcbadge.proofs.sdjwt import verify_sd_jwt
from mcbadge.proofs.sdjwt_kb import present
from mcbadge.status.token_list import (
    StatusReference,
    TokenStatusChecker,
    TokenStatusList,
    TokenStatusRegistry,
)
from tests.interop.conftest import NodeWorker, NodeWorkerError

pytestmark = pytest.mark.interop

KID = "https://www.hs-voorbeeld.nl/keys#1"
ISSUER = KeyPair.generate("P-256")
ISSUER = ISSUER.with_verification_method(KID)
HOLDER = KeyPair.generate("P-256")
STATUS_URI = "https://www.hs-voorbeeld.nl/status/1"


def _now() -> int:
    """Now, read when a test runs (not at import: a slow run must not make tokens stale)."""
    return int(datetime.now(UTC).timestamp())


def _credential() -> dict[str, Any]:
    cred = sample_microcredential().to_credential(
        id="urn:uuid:0b0e7c1e-8d57-4c4d-9f83-1e2b4c5d6e7f", valid_from="2025-01-01T00:00:00Z"
    )
    return cred.to_json_dict()


def _node_verify(node_worker: NodeWorker, token: str, **args: Any) -> dict[str, Any]:
    result: dict[str, Any] = node_worker.call(
        "sdjwt_vc_verify",
        token=token,
        issuer_jwk=ISSUER.public_key.to_jwk(),
        **args,
    )
    return result


@pytest.fixture()
def registry() -> TokenStatusRegistry:
    return TokenStatusRegistry(STATUS_URI, size=4096)


def test_mcbadge_sd_jwt_vc_verifies_in_sd_jwt_vc(
    node_worker: NodeWorker, registry: TokenStatusRegistry
) -> None:
    ref = registry.allocate()
    token = issue(
        _credential(), ISSUER, format="sd-jwt", holder_key=HOLDER.public_key, status=ref.to_claim()
    )
    lists = {STATUS_URI: registry.token(ISSUER)}
    ours = verify(token, keys={KID: ISSUER.public_key}, status_fetcher=lists.__getitem__)
    theirs = _node_verify(node_worker, token, status_lists=lists)
    assert theirs["header"]["typ"] == "dc+sd-jwt"
    payload = theirs["payload"]
    for name in ("iss", "vct", "cnf", "status", "credentialSubject", "issuer", "jti"):
        assert name in payload, name
    subject = payload["credentialSubject"]
    assert subject["result"] == ours.credential["credentialSubject"]["result"]
    assert subject["identifier"] == ours.credential["credentialSubject"]["identifier"]
    assert subject["achievement"] == ours.credential["credentialSubject"]["achievement"]
    assert "_sd" not in subject and "_sd_alg" not in payload


def test_mcbadge_presentation_with_key_binding_verifies_in_sd_jwt_vc(
    node_worker: NodeWorker,
) -> None:
    token = issue(_credential(), ISSUER, format="sd-jwt", holder_key=HOLDER.public_key)
    shown = present(
        token,
        disclose=[("credentialSubject", "identifier", 0)],
        holder_key=HOLDER,
        audience="https://werkgever.example",
        nonce="nonce-42",
        issued_at=datetime.now(UTC),
    )
    theirs = _node_verify(node_worker, shown, nonce="nonce-42")
    assert theirs["kb"] is not None
    assert theirs["kb"]["payload"]["aud"] == "https://werkgever.example"
    subject = theirs["payload"]["credentialSubject"]
    assert len(subject["identifier"]) == 1
    assert subject.get("result", []) == []
    assert "creditsEarned" not in subject


def test_revoked_mcbadge_credential_is_refused_by_sd_jwt_vc(
    node_worker: NodeWorker, registry: TokenStatusRegistry
) -> None:
    ref = registry.allocate()
    token = issue(_credential(), ISSUER, format="sd-jwt", status=ref.to_claim())
    registry.revoke(ref.idx)
    with pytest.raises(NodeWorkerError):
        _node_verify(node_worker, token, status_lists={STATUS_URI: registry.token(ISSUER)})


def test_tampered_mcbadge_sd_jwt_vc_is_refused_by_sd_jwt_vc(node_worker: NodeWorker) -> None:
    token = issue(_credential(), ISSUER, format="sd-jwt")
    jwt, rest = token.split("~", 1)
    other = issue(_credential(), KeyPair.generate("P-256"), format="sd-jwt")
    forged = jwt.rsplit(".", 1)[0] + "." + other.split("~", 1)[0].rsplit(".", 1)[1]
    with pytest.raises(NodeWorkerError):
        _node_verify(node_worker, forged + "~" + rest)


def test_sd_jwt_vc_issued_in_node_verifies_in_mcbadge(node_worker: NodeWorker) -> None:
    payload = {
        "iss": "https://www.hs-voorbeeld.nl",
        "iat": _now(),
        "vct": "https://www.hs-voorbeeld.nl/vct/microcredential",
        "cnf": {"jwk": HOLDER.public_key.to_jwk()},
        "credentialSubject": {
            "identifier": [{"identityType": "name", "identityHash": "Jan Jansen"}],
            "result": [{"value": "8.5"}],
            "creditsEarned": 5,
        },
    }
    frame = {
        "credentialSubject": {
            "_sd": ["creditsEarned", "result"],
            "identifier": {"_sd": [0]},
            "result": {"_sd": [0]},
        }
    }
    token = node_worker.call(
        "sdjwt_vc_issue",
        payload=payload,
        frame=frame,
        issuer_private_jwk=ISSUER.to_jwk(private=True),
        kid=KID,
    )
    full = verify_sd_jwt(token, key=ISSUER.public_key)
    assert full.claims["credentialSubject"] == payload["credentialSubject"]
    assert "credentialSubject.result[0]" in full.disclosed_paths
    shown = node_worker.call(
        "sdjwt_vc_present",
        token=token,
        frame={"credentialSubject": {"identifier": {"0": True}}},
        holder_private_jwk=HOLDER.to_jwk(private=True),
        aud="https://werkgever.example",
        nonce="n-7",
        iat=_now(),
    )
    result = verify(
        shown,
        keys={KID: ISSUER.public_key},
        audience="https://werkgever.example",
        nonce="n-7",
    )
    subject = result.credential["credentialSubject"]
    assert subject["identifier"] == payload["credentialSubject"]["identifier"]
    assert "result" not in subject and "creditsEarned" not in subject
    assert result.disclosed == ("credentialSubject.identifier[0]",)
    with pytest.raises(Exception) as info:
        verify(
            shown, keys={KID: ISSUER.public_key}, audience="https://werkgever.example", nonce="x"
        )
    assert info.value.report.check("sdjwt.key_binding").error_code == "sdjwt_kb_nonce_mismatch"  # type: ignore[attr-defined]


@pytest.mark.parametrize("bits", [1, 2, 4, 8])
def test_status_list_tokens_cross_check_both_ways(node_worker: NodeWorker, bits: int) -> None:
    rng = random.Random(bits)
    statuses = [rng.randrange(1 << bits) if rng.random() < 0.3 else 0 for _ in range(256)]
    ours = TokenStatusList.create(256, bits=bits)
    for index, value in enumerate(statuses):
        ours.set(index, value)
    from mcbadge.status.token_list import status_list_token

    token = status_list_token(ours, ISSUER, uri=STATUS_URI)
    read = node_worker.call("token_status_list_read", token=token, count=256)
    assert read == {"bits": bits, "statuses": statuses}

    theirs = node_worker.call(
        "token_status_list_token",
        statuses=statuses,
        bits=bits,
        uri=STATUS_URI,
        iat=_now(),
        exp=_now() + 3600,
        ttl=300,
        kid=KID,
        issuer_private_jwk=ISSUER.to_jwk(private=True),
    )
    checker = TokenStatusChecker(fetcher={STATUS_URI: theirs}.__getitem__)
    got = [
        checker.check(StatusReference(i, STATUS_URI), issuer_key=ISSUER.public_key).status
        for i in range(256)
    ]
    assert got == statuses

"""No untyped failure: verify(), issue() and the service's endpoints on hostile input.

Hypothesis feeds random JSON, random mutations of real credentials (Data Integrity and VC-JWT),
and random bytes as PNG/SVG images. Any exception that is not a ``McBadgeError`` fails the test,
so does a check reported as ``internal_error`` (an exception caught inside verify()), and, for
the service, any 5xx answer. Example counts are modest for CI; the CI profile derandomizes.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcbadge.errors import McBadgeError
from mcbadge.issue import issue
from mcbadge.keys import KeyPair
from mcbadge.proofs import add_proof
from mcbadge.proofs.jwt import sign_credential_jwt
from mcbadge.report import VerificationReport
from mcbadge.service import BackgroundServer, create_app
from mcbadge.verify import verification_report

KEY = KeyPair.from_seed(bytes(range(100, 132))).with_verification_method(
    KeyPair.from_seed(bytes(range(100, 132))).did_key_verification_method
)
TOKEN = "fuzz-token-0123456789abcdef"
NOW = datetime(2026, 6, 1, tzinfo=UTC)

_SETTINGS = settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _unsigned() -> dict[str, Any]:
    from mcbadge.demo import sample_microcredential

    out: dict[str, Any] = (
        sample_microcredential()
        .to_credential(
            id="urn:uuid:0d6b1c2a-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
            valid_from="2026-01-15T10:00:00Z",
            issuer_id=KEY.did_key,
        )
        .to_json_dict()
    )
    return out


UNSIGNED = _unsigned()
SIGNED = add_proof(UNSIGNED, KEY, created="2026-01-15T10:00:00Z")
TOKEN_JWT = sign_credential_jwt(UNSIGNED, KEY, kid=KEY.did_key_verification_method)

_base_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "did:key:z6Mk",
            "https://www.w3.org/ns/credentials/v2",
            "urn:uuid:x",
            "\ufeff",
            "@vocab",
            "@id",
            "2026-13-45T99:00:00Z",
            "z",
            "DataIntegrityProof",
        ]
    )
)
# Lone surrogates (issue 10 F10, issue 11 item 5) go everywhere: into verify(), issue(), the
# service's bodies and the strings of mutated credentials and tokens.
_SURROGATES = st.sampled_from(["\ud800", "a\udfffb", "\udbff", "x\ud83d"])
_scalars = _base_scalars | _SURROGATES
_keys = (
    st.text(max_size=8)
    | _SURROGATES
    | st.sampled_from(
        [
            "@context",
            "@vocab",
            "@id",
            "@type",
            "@value",
            "@graph",
            "id",
            "type",
            "issuer",
            "proof",
            "previousProof",
            "credentialSubject",
            "credentialStatus",
            "validFrom",
            "validUntil",
            "cryptosuite",
            "proofValue",
            "verificationMethod",
            "endorsement",
        ]
    )
)
json_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=5),
    max_leaves=25,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


@st.composite
def mutated(
    draw: st.DrawFn, base: dict[str, Any], values: st.SearchStrategy[Any] = json_values
) -> dict[str, Any]:
    """``base`` with one to three members replaced by random JSON or deleted."""
    document = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(document) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = document
        for part in path[:-1]:
            parent = parent[part]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(values)
    return document


@st.composite
def mutated_jwt(draw: st.DrawFn) -> str:
    head, body, signature = TOKEN_JWT.split(".")
    choice = draw(st.integers(0, 2))
    part = draw(st.text(alphabet="ABCDEFGHabcdefgh0123456789-_", max_size=40))
    return ".".join(
        [
            part if choice == 0 else head,
            part if choice == 1 else body,
            part if choice == 2 else signature,
        ]
    )


images = (
    st.binary(max_size=300).map(lambda b: b"\x89PNG\r\n\x1a\n" + b)
    | st.text(max_size=200).map(
        lambda t: ("<svg xmlns='http://www.w3.org/2000/svg'>" + t).encode("utf-8", "surrogatepass")
    )
    | st.binary(max_size=300)
)


def _internal_errors(report: VerificationReport) -> list[str]:
    found = [f"{c.id}: {c.message}" for c in report.checks if c.error_code == "internal_error"]
    for check in report.checks:
        if check.report is not None:
            found.extend(_internal_errors(check.report))
    return found


def _verify_typed(value: Any) -> None:
    try:
        report = verification_report(value, clock=lambda: NOW)
    except McBadgeError:
        return
    assert not _internal_errors(report), _internal_errors(report)


def _issue_typed(value: Any) -> None:
    for fmt in ("di", "jwt", "sd-jwt"):
        try:
            issue(value, KEY, format=fmt)  # type: ignore[call-overload]
        except McBadgeError:
            pass


# --------------------------------------------------------------------------- verify()


@_SETTINGS
@given(value=json_values)
def test_verify_random_json_fails_typed(value: Any) -> None:
    _verify_typed(value)
    _verify_typed(json.dumps(value).encode("utf-8", "surrogatepass"))
    _verify_typed(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    _verify_typed(json.dumps(value, ensure_ascii=False))


@_SETTINGS
@given(document=mutated(SIGNED))
def test_verify_mutated_credentials_fail_typed(document: dict[str, Any]) -> None:
    _verify_typed(document)


@_SETTINGS
@given(token=mutated_jwt())
def test_verify_mutated_jwts_fail_typed(token: str) -> None:
    _verify_typed(token)


@_SETTINGS
@given(data=images)
def test_verify_random_bytes_as_images_fail_typed(data: bytes) -> None:
    _verify_typed(data)


# --------------------------------------------------------------------------- issue()


@_SETTINGS
@given(value=json_values)
def test_issue_random_json_fails_typed(value: Any) -> None:
    _issue_typed(value)


@_SETTINGS
@given(document=mutated(UNSIGNED, json_values))
def test_issue_mutated_credentials_fails_typed_or_verifies(document: dict[str, Any]) -> None:
    try:
        signed = issue(document, KEY)
    except McBadgeError:
        return
    # what issue() signs, verify() accepts (but for the verification-time checks)
    report = verification_report(signed, clock=lambda: datetime(2100, 1, 1, tzinfo=UTC))
    decidable = [
        c
        for c in report.failed_checks
        if c.id not in ("valid_until", "status", "endorsement[0]", "proof.created")
    ]
    assert not decidable, [(c.id, c.error_code, c.message) for c in decidable]


# --------------------------------------------------------------------------- the service


@pytest.fixture(scope="module")
def server() -> Iterator[BackgroundServer]:
    with BackgroundServer(create_app(key=KEY, issue_token=TOKEN)) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: BackgroundServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=httpx.Timeout(60.0)) as http:
        yield http


_ENDPOINTS = [
    "/credentials/verify",
    "/credentials/issue",
    "/presentations/verify",
    "/verify/upload",  # the verify page
]


def _post(client: httpx.Client, path: str, content: bytes) -> None:
    response = client.post(
        path,
        content=content,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    assert response.status_code < 500, (path, response.status_code, response.text[:500])


@_SETTINGS
@given(path=st.sampled_from(_ENDPOINTS), value=json_values)
def test_service_random_json_never_answers_5xx(client: httpx.Client, path: str, value: Any) -> None:
    _post(client, path, json.dumps(value).encode("utf-8", "surrogatepass"))
    wrapped = {"verifiableCredential": value, "credential": value, "options": value}
    _post(client, path, json.dumps(wrapped).encode("utf-8", "surrogatepass"))
    _post(client, path, json.dumps(wrapped, ensure_ascii=False).encode("utf-8", "surrogatepass"))


@_SETTINGS
@given(document=mutated(SIGNED), unsigned=mutated(UNSIGNED))
def test_service_mutated_credentials_never_answer_5xx(
    client: httpx.Client, document: dict[str, Any], unsigned: dict[str, Any]
) -> None:
    body = json.dumps({"verifiableCredential": document}).encode("utf-8", "surrogatepass")
    _post(client, "/credentials/verify", body)
    body = json.dumps({"credential": unsigned}).encode("utf-8", "surrogatepass")
    _post(client, "/credentials/issue", body)


@_SETTINGS
@given(path=st.sampled_from(_ENDPOINTS), data=images)
def test_service_random_bytes_never_answer_5xx(
    client: httpx.Client, path: str, data: bytes
) -> None:
    _post(client, path, data)


# --------------------------------------------------------------------------- found by fuzzing


@pytest.mark.parametrize("previous", [5, {}, [], [7], True, 1.5])
def test_a_previous_proof_that_is_not_an_id_is_a_typed_failure(previous: Any) -> None:
    document = copy.deepcopy(SIGNED)
    document["proof"][0]["previousProof"] = previous
    report = verification_report(document, clock=lambda: NOW)
    assert not _internal_errors(report)
    assert report.check("proof[0].signature").error_code == "previous_proof_missing"  # type: ignore[union-attr]


@pytest.mark.parametrize("cryptosuite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
@pytest.mark.parametrize(
    "where", ["value", "member", "proof_created", "verification_method", "type"]
)
def test_verify_proofs_on_a_lone_surrogate_is_a_typed_failure(cryptosuite: str, where: str) -> None:
    """verify_proofs() takes a dict (a Node-signed credential read by the caller's own JSON
    reader may hold "\\ud800"): a failed proof with a code, never a UnicodeEncodeError."""
    from mcbadge.proofs.data_integrity import verify_proofs

    document = add_proof(UNSIGNED, KEY, created="2026-01-15T10:00:00Z", cryptosuite=cryptosuite)
    if where == "value":
        document["credentialSubject"]["achievement"]["name"] = "a\ud800"
    elif where == "member":
        document["credentialSubject"]["\udc00"] = "x"
    elif where == "proof_created":
        document["proof"][0]["created"] = "2026-01-15T10:00:00Z\ud800"
    elif where == "verification_method":
        document["proof"][0]["verificationMethod"] += "\ud800"
    else:
        document["type"] = [*document["type"], "\udbff"]
    results = verify_proofs(document)
    assert len(results) == 1 and not results[0].verified
    assert isinstance(results[0].error, McBadgeError)


@pytest.mark.parametrize("fmt", ["di", "jwt", "sd-jwt"])
@pytest.mark.parametrize("where", ["name", "member", "context"])
def test_issue_refuses_a_lone_surrogate_in_every_format(fmt: str, where: str) -> None:
    document = copy.deepcopy(UNSIGNED)
    if where == "name":
        document["credentialSubject"]["achievement"]["name"] = "a\ud800"
    elif where == "member":
        document["credentialSubject"]["\ud800"] = "x"
    else:
        document["@context"] = [*document["@context"], "https://example.org/\ud800"]
    with pytest.raises(McBadgeError) as info:
        issue(document, KEY, format=fmt)  # type: ignore[call-overload]
    assert info.value.code == "string_lone_surrogate"

"""mcbadge.jsonld.loader (bundled, pinned, fetch): bundled contexts, refusals, network opt-in and the pinned-document cache."""

from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest

from mcbadge.errors import DocumentLoaderError, NetworkNotAllowedError, PinnedHashMismatchError
from mcbadge.jsonld import bundled as bundled_mod
from mcbadge.jsonld import pinned as mod
from mcbadge.jsonld.loader import DocumentLoader, default_loader
from mcbadge.jsonld.pinned import (
    PINNED_DOCUMENTS,
    load_pinned,
    load_pinned_json,
    pinned_cache_path,
    seed_pinned_cache,
)
from mcbadge.jsonld.urls import (
    EDUCREDENTIAL_CONTEXT_URL,
    OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
    OB3_CONTEXT_3_0_3_URL,
    OB3_PROFILE_SCHEMA_URL,
    VC_V2_CONTEXT_URL,
)
from tests.pinned import pinned_reference_files
from tests.pinned import seed_pinned_cache as seed_from_reference

UNKNOWN_URL = "https://contexts.example.org/unknown/v1"


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Make every socket connect fail loudly, and record the attempts."""
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise AssertionError(f"a socket connect to {address!r} was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def _transport(
    body: bytes = b"{}", status: int = 200, headers: dict[str, str] | None = None
) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, content=body, headers=headers)

    return httpx.MockTransport(handler), seen


# --- bundled contexts ---------------------------------------------------------------------------


def test_loader_serves_bundled_context_in_pyld_remote_document_shape() -> None:
    remote = DocumentLoader()(VC_V2_CONTEXT_URL, {})
    assert set(remote) == {"contextUrl", "documentUrl", "document", "contentType"}
    assert remote["contextUrl"] is None
    assert remote["documentUrl"] == VC_V2_CONTEXT_URL
    assert remote["document"]["@context"]["VerifiableCredential"]["@id"] == (
        "https://www.w3.org/2018/credentials#VerifiableCredential"
    )


def test_loader_returns_private_copies_so_mutation_cannot_poison_the_cache() -> None:
    loader = DocumentLoader()
    first = loader.load(OB3_CONTEXT_3_0_3_URL)
    first["@context"]["Achievement"] = "https://evil.example/Achievement"
    first["@context"].clear()
    again = DocumentLoader().load(OB3_CONTEXT_3_0_3_URL)
    assert again["@context"]["Achievement"]["@id"].endswith("#Achievement")
    assert loader.load(OB3_CONTEXT_3_0_3_URL) == again


def test_bundled_contexts_are_parsed_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    DocumentLoader().load(VC_V2_CONTEXT_URL)
    calls: list[bytes] = []
    real_parse = bundled_mod._parse_json

    def counting_parse(data: bytes, *, what: str) -> Any:
        calls.append(data)
        return real_parse(data, what=what)

    monkeypatch.setattr(bundled_mod, "_parse_json", counting_parse)
    for _ in range(3):
        DocumentLoader().load(VC_V2_CONTEXT_URL)
    assert calls == []


def test_tampered_bundled_context_is_refused_by_its_manifest_hash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = bundled_mod.bundled_contexts()[VC_V2_CONTEXT_URL]
    fake = bundled_mod.BundledContext(
        real.url, real.file, real.package, real.path_in_package, "0" * 64
    )
    monkeypatch.setattr(bundled_mod, "bundled_contexts", lambda: {VC_V2_CONTEXT_URL: fake})
    monkeypatch.setattr(bundled_mod, "_bundled_parsed", {})
    with pytest.raises(PinnedHashMismatchError, match="installation was modified"):
        DocumentLoader().load(VC_V2_CONTEXT_URL)


def test_default_loader_is_one_offline_instance() -> None:
    assert default_loader() is default_loader()
    assert default_loader().allow_network is False
    assert VC_V2_CONTEXT_URL in default_loader().offline_urls()


# --- refusals and the network ---------------------------------------------------------------


def test_unknown_url_is_refused_naming_the_url_and_how_to_allow_it(no_sockets: list[Any]) -> None:
    with pytest.raises(NetworkNotAllowedError) as info:
        DocumentLoader()(UNKNOWN_URL, {})
    message = str(info.value)
    assert UNKNOWN_URL in message
    assert "extra_documents" in message
    assert "allow_network=True" in message
    assert info.value.details["url"] == UNKNOWN_URL
    assert no_sockets == []


def test_default_loader_opens_no_socket_for_unknown_or_uncached_documents(
    no_sockets: list[Any], tmp_path: Path
) -> None:
    with pytest.raises(NetworkNotAllowedError):
        DocumentLoader(pinned_cache_dir=tmp_path).load(UNKNOWN_URL)
    with pytest.raises(NetworkNotAllowedError):
        DocumentLoader(pinned_cache_dir=tmp_path).load(OB3_PROFILE_SCHEMA_URL)
    with pytest.raises(NetworkNotAllowedError):
        load_pinned(OB3_PROFILE_SCHEMA_URL, cache_dir=tmp_path)
    assert no_sockets == []


def test_extra_documents_are_served_and_snapshotted_at_construction() -> None:
    supplied = {"@context": {"colour": "https://example.org/colour"}}
    loader = DocumentLoader(extra_documents={UNKNOWN_URL: supplied})
    supplied["@context"]["colour"] = "https://evil.example/colour"
    assert loader.load(UNKNOWN_URL)["@context"]["colour"] == "https://example.org/colour"
    assert UNKNOWN_URL in loader.offline_urls()


def test_extra_documents_accept_json_text_and_override_bundled_urls() -> None:
    loader = DocumentLoader(extra_documents={OB3_CONTEXT_3_0_3_URL: '{"@context": {}}'})
    assert loader.load(OB3_CONTEXT_3_0_3_URL) == {"@context": {}}


@pytest.mark.parametrize("bad", [{"@context": {1, 2}}, {"x": float("nan")}, b"{not json"])
def test_extra_documents_that_are_not_json_are_rejected(bad: Any) -> None:
    with pytest.raises(DocumentLoaderError, match=UNKNOWN_URL):
        DocumentLoader(extra_documents={UNKNOWN_URL: bad})


def test_network_loader_fetches_https_once_and_sends_json_accept() -> None:
    transport, seen = _transport(b'{"@context": {"a": "https://e.org/a"}}')
    loader = DocumentLoader(allow_network=True, transport=transport)
    assert loader.load(UNKNOWN_URL) == {"@context": {"a": "https://e.org/a"}}
    assert loader.load(UNKNOWN_URL) == {"@context": {"a": "https://e.org/a"}}
    assert len(seen) == 1
    assert "application/ld+json" in seen[0].headers["accept"]


def test_network_loader_refuses_plain_http() -> None:
    transport, seen = _transport()
    loader = DocumentLoader(allow_network=True, transport=transport)
    with pytest.raises(DocumentLoaderError, match="only https://"):
        loader.load("http://contexts.example.org/v1")
    assert seen == []


def test_network_loader_refuses_redirect_to_plain_http() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.scheme == "https":
            return httpx.Response(302, headers={"location": "http://downgraded.example/ctx"})
        return httpx.Response(200, content=b"{}")

    loader = DocumentLoader(allow_network=True, transport=httpx.MockTransport(handler))
    with pytest.raises(DocumentLoaderError, match="non-HTTPS"):
        loader.load(UNKNOWN_URL)


def test_network_loader_enforces_the_size_limit_even_without_content_length() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([b"x" * 600, b"y" * 600]))

    loader = DocumentLoader(
        allow_network=True, max_bytes=1000, transport=httpx.MockTransport(handler)
    )
    with pytest.raises(DocumentLoaderError, match="1000-byte limit"):
        loader.load(UNKNOWN_URL)


def test_network_loader_rejects_declared_oversize_body() -> None:
    transport, _ = _transport(b"{}", headers={"content-length": "5000000"})
    with pytest.raises(DocumentLoaderError, match="over the"):
        DocumentLoader(allow_network=True, transport=transport).load(UNKNOWN_URL)


def test_network_loader_reports_http_errors_and_timeouts_as_loader_errors() -> None:
    transport, _ = _transport(b"gone", status=404)
    with pytest.raises(DocumentLoaderError, match="HTTP 404"):
        DocumentLoader(allow_network=True, transport=transport).load(UNKNOWN_URL)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    with pytest.raises(DocumentLoaderError, match="failed") as info:
        DocumentLoader(allow_network=True, transport=httpx.MockTransport(slow)).load(UNKNOWN_URL)
    assert info.value.code == "network_deadline_exceeded"
    assert isinstance(info.value.__cause__.__cause__, httpx.ConnectTimeout)


def test_network_loader_rejects_non_json_body() -> None:
    transport, _ = _transport(b"<html>not json</html>")
    with pytest.raises(DocumentLoaderError, match="not valid JSON"):
        DocumentLoader(allow_network=True, transport=transport).load(UNKNOWN_URL)


# --- pinned documents ------------------------------------------------------------------------


def _pinned_bytes(url: str) -> bytes:
    return pinned_reference_files()[url].read_bytes()


def test_pinned_table_names_cache_files_by_hash_and_url() -> None:
    for url, entry in PINNED_DOCUMENTS.items():
        assert entry.url == url
        assert len(entry.sha256) == 64
        assert entry.cache_name.startswith(entry.sha256[:16])
    assert PINNED_DOCUMENTS[EDUCREDENTIAL_CONTEXT_URL].known_defect


def test_seeded_cache_serves_pinned_documents_offline(
    tmp_path: Path, no_sockets: list[Any]
) -> None:
    seed_from_reference(tmp_path)
    schema = load_pinned_json(OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL, cache_dir=tmp_path)
    assert schema["$schema"].startswith("https://json-schema.org/draft/2019-09/schema")
    context = DocumentLoader(pinned_cache_dir=tmp_path).load(EDUCREDENTIAL_CONTEXT_URL)
    assert "EducredentialAchievement" in context["@context"]
    assert no_sockets == []


def test_pinned_cache_dir_defaults_to_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_from_reference(tmp_path)
    monkeypatch.setenv("MCBADGE_CACHE_DIR", str(tmp_path))
    assert mod.default_pinned_cache_dir() == tmp_path
    assert load_pinned(OB3_PROFILE_SCHEMA_URL) == _pinned_bytes(OB3_PROFILE_SCHEMA_URL)
    assert default_loader().load(OB3_PROFILE_SCHEMA_URL)["type"] == "object"


def test_pinned_cache_dir_falls_back_to_home_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MCBADGE_CACHE_DIR", raising=False)
    assert mod.default_pinned_cache_dir() == Path.home() / ".cache" / "mcbadge" / "pinned"


def test_pinned_cache_hash_mismatch_is_refused(tmp_path: Path) -> None:
    path = pinned_cache_path(OB3_PROFILE_SCHEMA_URL, cache_dir=tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_pinned_bytes(OB3_PROFILE_SCHEMA_URL) + b"\n")
    with pytest.raises(PinnedHashMismatchError) as info:
        load_pinned(OB3_PROFILE_SCHEMA_URL, cache_dir=tmp_path)
    assert info.value.details["expected"] == PINNED_DOCUMENTS[OB3_PROFILE_SCHEMA_URL].sha256
    assert str(path) in str(info.value)
    with pytest.raises(PinnedHashMismatchError):
        DocumentLoader(pinned_cache_dir=tmp_path).load(OB3_PROFILE_SCHEMA_URL)


def test_uncached_pinned_document_error_explains_how_to_seed(tmp_path: Path) -> None:
    with pytest.raises(NetworkNotAllowedError) as info:
        load_pinned(OB3_PROFILE_SCHEMA_URL, cache_dir=tmp_path)
    message = str(info.value)
    assert "seed_pinned_cache" in message
    assert PINNED_DOCUMENTS[OB3_PROFILE_SCHEMA_URL].sha256 in message


def test_unknown_url_is_not_a_pinned_document(tmp_path: Path) -> None:
    with pytest.raises(DocumentLoaderError, match="not a pinned document"):
        load_pinned(UNKNOWN_URL, cache_dir=tmp_path)
    with pytest.raises(DocumentLoaderError, match="not a pinned document"):
        seed_pinned_cache(tmp_path, {UNKNOWN_URL: tmp_path / "x.json"})


def test_seeding_with_a_wrong_file_writes_nothing(tmp_path: Path) -> None:
    wrong = tmp_path / "profile.json"
    wrong.write_bytes(b'{"not": "the pinned schema"}')
    cache = tmp_path / "cache"
    with pytest.raises(PinnedHashMismatchError, match=str(wrong)):
        seed_pinned_cache(cache, {OB3_PROFILE_SCHEMA_URL: wrong})
    assert not pinned_cache_path(OB3_PROFILE_SCHEMA_URL, cache_dir=cache).exists()


def test_seeding_with_a_missing_file_is_a_loader_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentLoaderError, match="cannot read"):
        seed_pinned_cache(tmp_path, {OB3_PROFILE_SCHEMA_URL: tmp_path / "absent.json"})


def test_seeding_stores_exact_bytes_and_leaves_no_temp_files(tmp_path: Path) -> None:
    files = pinned_reference_files()
    seed_pinned_cache(tmp_path, files)
    for url, source in files.items():
        stored = pinned_cache_path(url, cache_dir=tmp_path).read_bytes()
        assert stored == source.read_bytes()
        assert hashlib.sha256(stored).hexdigest() == PINNED_DOCUMENTS[url].sha256
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        entry.cache_name for entry in PINNED_DOCUMENTS.values()
    )


def test_pinned_fetch_with_network_stores_atomically_then_works_offline(tmp_path: Path) -> None:
    body = _pinned_bytes(OB3_PROFILE_SCHEMA_URL)
    transport, seen = _transport(body)
    data = load_pinned(
        OB3_PROFILE_SCHEMA_URL, cache_dir=tmp_path, allow_network=True, transport=transport
    )
    assert data == body
    assert [str(r.url) for r in seen] == [OB3_PROFILE_SCHEMA_URL]
    assert [p.name for p in tmp_path.iterdir()] == [
        PINNED_DOCUMENTS[OB3_PROFILE_SCHEMA_URL].cache_name
    ]
    assert load_pinned(OB3_PROFILE_SCHEMA_URL, cache_dir=tmp_path) == body


def test_pinned_fetch_of_changed_upstream_document_is_refused_and_not_cached(
    tmp_path: Path,
) -> None:
    transport, _ = _transport(json.dumps({"changed": True}).encode())
    with pytest.raises(PinnedHashMismatchError, match="changed upstream"):
        load_pinned(
            OB3_PROFILE_SCHEMA_URL, cache_dir=tmp_path, allow_network=True, transport=transport
        )
    assert list(tmp_path.iterdir()) == []


def test_loader_with_network_fetches_uncached_pinned_document_through_the_pin(
    tmp_path: Path,
) -> None:
    body = _pinned_bytes(OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL)
    transport, seen = _transport(body)
    loader = DocumentLoader(allow_network=True, pinned_cache_dir=tmp_path, transport=transport)
    assert loader.load(OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL) == json.loads(body)
    assert len(seen) == 1
    assert pinned_cache_path(OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL, cache_dir=tmp_path).is_file()


def test_seed_pinned_cache_from_matches_files_by_content(
    tmp_path: Path, reference_dir: Path
) -> None:
    from mcbadge.jsonld.pinned import PINNED_DOCUMENTS, load_pinned, seed_pinned_cache_from

    seeded = seed_pinned_cache_from(reference_dir, cache_dir=tmp_path / "cache")
    assert seeded == sorted(PINNED_DOCUMENTS)
    for url in seeded:
        assert load_pinned(url, cache_dir=tmp_path / "cache")


def test_seed_pinned_cache_from_ignores_altered_copies(tmp_path: Path, reference_dir: Path) -> None:
    from mcbadge.jsonld.pinned import seed_pinned_cache_from

    source = reference_dir / "ob3" / "schemas" / "edubadges_nl_microcredential_schema.json"
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "schema.json").write_bytes(source.read_bytes() + b"\n")
    assert seed_pinned_cache_from(folder, cache_dir=tmp_path / "cache") == []
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())

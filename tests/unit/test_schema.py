"""JSON Schema validation: every error reported, formats checked, pinned schemas, caching."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from mcbadge import schema as schema_module
from mcbadge.errors import (
    DocumentLoaderError,
    InvalidInputError,
    NetworkNotAllowedError,
    PinnedHashMismatchError,
    SchemaValidationError,
)
from mcbadge.jsonld.pinned import seed_pinned_cache
from mcbadge.model import (
    Achievement,
    AchievementCredential,
    AchievementSubject,
    Criteria,
    IdentityObject,
    Profile,
)
from mcbadge.schema import (
    OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
    OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL,
    schema_errors,
    validate_schema,
)
from tests.conftest import load_reference_json, reference_path

ACH_SCHEMA = ("ob3", "schemas", "ob_v3p0_achievementcredential_schema.purl-download-2024-09.json")
END_SCHEMA = ("ob3", "schemas", "ob_v3p0_endorsementcredential_schema.gh-pages-2024-07.json")
BASIC = ("ob3", "examples", "spec_example_basic_OpenBadgeCredential.json")


@pytest.fixture
def ach_schema() -> dict[str, Any]:
    schema: dict[str, Any] = load_reference_json(*ACH_SCHEMA)
    return schema


@pytest.fixture
def basic() -> dict[str, Any]:
    doc: dict[str, Any] = load_reference_json(*BASIC)
    return doc


@pytest.fixture
def fresh_cache() -> Any:
    schema_module._clear_cache()
    yield
    schema_module._clear_cache()


def test_valid_spec_example_passes(basic: dict[str, Any], ach_schema: dict[str, Any]) -> None:
    validate_schema(basic, schema=ach_schema)
    assert schema_errors(basic, schema=ach_schema) == []


def test_every_error_is_reported_with_json_pointer_paths(
    basic: dict[str, Any], ach_schema: dict[str, Any]
) -> None:
    doc = copy.deepcopy(basic)
    doc["credentialSubject"]["type"] = "AchievementSubject"
    doc["credentialSubject"]["achievement"]["inLanguage"] = "Nederlands"
    doc["validFrom"] = "2010-01-01T00:00:00"
    del doc["issuer"]["id"]
    with pytest.raises(SchemaValidationError) as info:
        validate_schema(doc, schema=ach_schema)
    found = {(e["path"], e["keyword"]) for e in info.value.errors}
    assert found == {
        ("/credentialSubject/achievement/inLanguage", "pattern"),
        ("/credentialSubject/type", "type"),
        ("/issuer", "oneOf"),
        ("/validFrom", "format"),
    }
    assert [e["path"] for e in info.value.errors] == sorted(e["path"] for e in info.value.errors)
    assert info.value.code == "schema_invalid"
    message = str(info.value)
    assert "4 problems" in message and "/validFrom" in message and "time zone" in message
    issuer = next(e for e in info.value.errors if e["path"] == "/issuer")
    assert "'id' is a required property" in issuer["msg"]


def test_pointer_escapes_tilde_and_slash() -> None:
    schema = {"properties": {"a/b": {"properties": {"c~d": {"type": "string"}}}}}
    assert schema_errors({"a/b": {"c~d": 1}}, schema=schema)[0]["path"] == "/a~1b/c~0d"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2010-01-01T00:00:00Z", True),
        ("2010-01-01T00:00:00.5+02:00", True),
        ("2010-01-01T00:00:00", False),
        ("2010-01-01", False),
        ("2010-02-30T00:00:00Z", False),
    ],
)
def test_date_time_format_is_checked(value: str, ok: bool) -> None:
    schema = {"properties": {"when": {"type": "string", "format": "date-time"}}}
    assert (schema_errors({"when": value}, schema=schema) == []) is ok


def test_date_format_is_checked_for_date_of_birth(
    basic: dict[str, Any], ach_schema: dict[str, Any]
) -> None:
    doc = copy.deepcopy(basic)
    doc["issuer"]["dateOfBirth"] = "2001-02-03"
    assert schema_errors(doc, schema=ach_schema) == []
    doc["issuer"]["dateOfBirth"] = "03-02-2001"
    assert [e["path"] for e in schema_errors(doc, schema=ach_schema)] == ["/issuer"]


def test_credential_built_with_the_model_passes_the_ob3_schema(ach_schema: dict[str, Any]) -> None:
    # A credential built with the model passes the schema.
    cred = AchievementCredential(
        id="urn:uuid:00000000-0000-4000-8000-000000000001",
        issuer=Profile(id="did:example:issuer", name="HS Voorbeeld"),
        valid_from=dt.datetime(2026, 1, 15, tzinfo=dt.UTC),
        credential_subject=AchievementSubject(
            identifier=[IdentityObject.hashed("emailAddress", "jan@example.nl")],
            achievement=Achievement(
                id="https://hs.example.nl/a/1",
                name="N",
                description="D",
                criteria=Criteria(narrative="C"),
                in_language="nl",
                achievement_type="MicroCredential",
            ),
        ),
    )
    validate_schema(cred.to_json_dict(), schema=ach_schema)


def test_external_ref_is_refused_not_fetched() -> None:
    schema = {"properties": {"a": {"$ref": "https://schemas.example.org/other.json"}}}
    with pytest.raises(DocumentLoaderError) as info:
        schema_errors({"a": 1}, schema=schema)
    assert "https://schemas.example.org/other.json" in str(info.value)


def test_invalid_schema_is_an_input_error() -> None:
    with pytest.raises(InvalidInputError) as info:
        schema_errors({}, schema={"type": "no-such-type"})
    assert info.value.code == "schema_malformed"


def test_compiled_validators_are_cached_by_content(
    ach_schema: dict[str, Any], fresh_cache: None
) -> None:
    first = schema_module._validator(
        schema_url="x", schema=ach_schema, cache_dir=None, allow_network=False
    )
    same = schema_module._validator(
        schema_url="x", schema=copy.deepcopy(ach_schema), cache_dir=None, allow_network=False
    )
    assert first is same
    changed = copy.deepcopy(ach_schema)
    changed["required"] = ["id"]
    other = schema_module._validator(
        schema_url="x", schema=changed, cache_dir=None, allow_network=False
    )
    assert other is not first


def test_pinned_schema_is_loaded_from_the_cache(
    tmp_path: Path, basic: dict[str, Any], fresh_cache: None
) -> None:
    seed_pinned_cache(
        tmp_path,
        {
            OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL: reference_path(*ACH_SCHEMA),
            OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL: reference_path(*END_SCHEMA),
        },
    )
    validate_schema(basic, cache_dir=tmp_path)
    endorsement = load_reference_json("ob3", "examples", "spec_example_EndorsementCredential.json")
    validate_schema(
        endorsement, schema_url=OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL, cache_dir=tmp_path
    )
    with pytest.raises(SchemaValidationError) as info:
        validate_schema(basic, schema_url=OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL, cache_dir=tmp_path)
    assert OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL in str(info.value)


def test_missing_pinned_schema_needs_network_permission(
    tmp_path: Path, basic: dict[str, Any], fresh_cache: None
) -> None:
    with pytest.raises(NetworkNotAllowedError):
        validate_schema(basic, cache_dir=tmp_path / "empty")


def test_tampered_pinned_schema_is_refused(
    tmp_path: Path, basic: dict[str, Any], fresh_cache: None
) -> None:
    seed_pinned_cache(
        tmp_path, {OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL: reference_path(*ACH_SCHEMA)}
    )
    cached = next(tmp_path.iterdir())
    cached.write_bytes(cached.read_bytes().replace(b'"minItems": 2', b'"minItems": 1', 1))
    with pytest.raises(PinnedHashMismatchError):
        validate_schema(basic, cache_dir=tmp_path)

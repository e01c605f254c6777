"""JSON from files and users goes through the one strict reader (``loads_strict``).

A duplicated member (two readers would see two documents), a lone surrogate or a number too
long to convert is refused with a typed error wherever mcbadge reads JSON it did not write:
credential and microcredential files on the command line, presentations, JWK key files, the
service's ``--context`` files, status list and allocator state files, cohort JSONL rows.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from mcbadge.errors import InvalidInputError, KeyFormatError, McBadgeError, StatusListError
from mcbadge.keys import KeyPair
from tests.conftest import PROJECT_ROOT
from tests.integration.test_cli_verify import run
from tests.unit.test_verify import ob3_credential, sign

KEY = KeyPair.from_seed(bytes(range(32, 64)))

# raw JSON member texts, spliced into otherwise valid documents
BAD = {
    "duplicate": ("json_duplicate_member", '"name": "a", "name": "b"'),
    "surrogate": ("json_lone_surrogate", '"name": "a\\ud800"'),
    "huge": ("json_number_too_long", '"name": ' + "9" * 5000),
}


def _splice(document: dict[str, object], member: str) -> str:
    """``document`` as JSON text with ``member`` (raw text) added as its first member."""
    return "{" + member + ", " + json.dumps(document)[1:]


@pytest.mark.parametrize("kind", sorted(BAD))
def test_cli_verify_refuses_a_bad_credential_file_with_the_code(tmp_path: Path, kind: str) -> None:
    code, member = BAD[kind]
    path = tmp_path / "credential.json"
    path.write_text(_splice(sign(ob3_credential()), member), encoding="utf-8")
    result = run("--json", "verify", str(path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(result.stderr)["error"]["code"] == code


def test_cli_verify_a_credential_file_with_a_duplicated_member_is_refused(tmp_path: Path) -> None:
    """The case the brief names: the second ``credentialSubject`` would win in json.loads."""
    signed = sign(ob3_credential())
    text = json.dumps(signed)
    forged = text[:-1] + ', "credentialSubject": {"id": "did:example:mallory"}}'
    path = tmp_path / "forged.json"
    path.write_text(forged, encoding="utf-8")
    result = run("--json", "verify", str(path))
    assert result.returncode == 2, result.stdout + result.stderr
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "json_duplicate_member"
    assert "credentialSubject" in error["message"]


def test_cli_verify_a_presentation_with_a_duplicated_type_is_refused(tmp_path: Path) -> None:
    text = (
        '{"@context": ["https://www.w3.org/ns/credentials/v2"], '
        '"type": "VerifiableCredential", "type": "VerifiablePresentation", '
        '"verifiableCredential": [' + json.dumps(sign(ob3_credential())) + "]}"
    )
    path = tmp_path / "vp.json"
    path.write_text(text, encoding="utf-8")
    result = run("--json", "verify", str(path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert json.loads(result.stderr)["error"]["code"] == "json_duplicate_member"


@pytest.mark.parametrize("kind", sorted(BAD))
def test_cli_issue_refuses_a_bad_microcredential_file_with_the_code(
    tmp_path: Path, kind: str
) -> None:
    code, member = BAD[kind]
    key_file = tmp_path / "issuer.pem"
    key_file.write_bytes(KEY.to_pem())
    source = {
        **tomllib.loads((PROJECT_ROOT / "examples" / "cohort.unit.toml").read_text("utf-8")),
        "learner": {"name": "Jan Jansen", "email": "jan@example.nl"},
        "result": {"grade": "8"},
    }
    path = tmp_path / "mc.json"
    path.write_text(_splice(source, member), encoding="utf-8")
    out = str(tmp_path / "o")
    result = run("issue", str(path), "--key", str(key_file), "--out", out, "--json")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(result.stderr)["error"]["code"] == code
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


@pytest.mark.parametrize("kind", sorted(BAD))
def test_read_document_gives_the_input_codes(tmp_path: Path, kind: str) -> None:
    from mcbadge.batch import read_document

    code, member = BAD[kind]
    path = tmp_path / "unit.json"
    path.write_text("{" + member + "}", encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        read_document(path)
    assert caught.value.code == code


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_jwk_key_file_is_read_strictly(tmp_path: Path, kind: str) -> None:
    from mcbadge.cli.common import load_key
    from mcbadge.service.command import _load_signing_key

    _, member = BAD[kind]
    path = tmp_path / "key.jwk"
    path.write_text(_splice(KEY.to_jwk(private=True), member), encoding="utf-8")
    for read in (load_key, _load_signing_key):
        with pytest.raises(KeyFormatError):
            read(path)


def test_a_duplicated_private_key_member_is_not_read_last_wins(tmp_path: Path) -> None:
    from mcbadge.cli.common import load_key

    jwk = KEY.to_jwk(private=True)
    other = KeyPair.from_seed(bytes(32)).to_jwk(private=True)
    path = tmp_path / "key.jwk"
    path.write_text(json.dumps(jwk)[:-1] + f', "d": "{other["d"]}"}}', encoding="utf-8")
    with pytest.raises(KeyFormatError, match="appears twice"):
        load_key(path)


@pytest.mark.parametrize("kind", sorted(BAD))
def test_service_context_files_are_read_strictly(tmp_path: Path, kind: str) -> None:
    from mcbadge.service.contexts import _read_context_specs

    _, member = BAD[kind]
    path = tmp_path / "ctx.json"
    path.write_text('{"@context": {' + member + "}}", encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        _read_context_specs([f"https://example.org/ctx={path}"])
    assert caught.value.code == "invalid_option"


@pytest.mark.parametrize("kind", sorted(BAD))
def test_status_state_files_are_read_strictly(kind: str) -> None:
    from mcbadge.batch import StatusListState
    from mcbadge.status import StatusListAllocator

    _, member = BAD[kind]
    state = json.loads(StatusListState.create("https://hs.example/status/1").to_json())
    with pytest.raises(StatusListError) as caught:
        StatusListState.from_json(_splice(state, member))
    assert caught.value.code == "status_state_invalid"
    allocator = json.loads(StatusListAllocator(length=131072).to_json())
    with pytest.raises(StatusListError) as caught:
        StatusListAllocator.from_json(_splice(allocator, member))
    assert caught.value.code == "allocator_state_invalid"


def test_a_cohort_jsonl_row_with_a_lone_surrogate_is_a_malformed_row(tmp_path: Path) -> None:
    from mcbadge.batch.cohort import _jsonl_rows

    rows = _jsonl_rows('{"name": "Jan", "name": "Piet"}\n{"name": "a\\ud800"}\n{"name": "ok"}\n')
    assert [r.problem["code"] if r.problem else None for r in rows[:2]] == ["row_malformed"] * 2
    assert isinstance(rows[2].fields, dict)


def test_every_error_above_is_typed() -> None:
    assert issubclass(KeyFormatError, McBadgeError)
    assert issubclass(StatusListError, McBadgeError)


@pytest.mark.parametrize("kind", sorted(BAD))
def test_the_model_reads_json_text_strictly(kind: str) -> None:
    """``AchievementCredential.from_json(text)``: the second ``name`` would win in json.loads."""
    from mcbadge.errors import ModelValidationError
    from mcbadge.model import AchievementCredential

    code, member = BAD[kind]
    text = _splice(ob3_credential(), member)
    with pytest.raises(ModelValidationError) as caught:
        AchievementCredential.from_json(text)
    assert caught.value.errors[0]["type"] == code

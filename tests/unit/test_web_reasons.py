"""The verify page's Dutch check reasons (``mcbadge/service/web/static/reasons.json``).

The page shows a failed check's reason in Dutch by its stable error code, a skipped check's by
its reason code and a passed check's by its id. Every code the verifier's negative corpus
produces and every reason code ``verify()`` can give a skipped check has a Dutch sentence.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from tests.unit import test_verify_negative as corpus

SRC = Path(__file__).resolve().parents[2] / "src" / "mcbadge"


def _table() -> dict[str, Any]:
    text = resources.files("mcbadge.service.web").joinpath("static", "reasons.json").read_text()
    table: dict[str, Any] = json.loads(text)["nl"]
    return table


def test_every_failure_of_the_negative_corpus_has_a_dutch_reason() -> None:
    failed = _table()["failed"]
    codes = {build().code for build in corpus.CASES}
    assert sorted(codes - set(failed)) == []


def test_every_skip_reason_code_of_verify_has_a_dutch_reason() -> None:
    skipped = _table()["skipped"]
    codes: set[str] = set()
    for path in (SRC / "verify").glob("*.py"):
        codes |= set(re.findall(r'reason_code="([a-z_]+)"', path.read_text(encoding="utf-8")))
    assert codes, "no reason codes found: the pattern is out of date"
    assert sorted(codes - set(skipped)) == []


@pytest.mark.parametrize("kind", ["failed", "skipped", "passed"])
def test_the_reasons_are_sentences(kind: str) -> None:
    for key, text in _table()[kind].items():
        assert isinstance(text, str) and text.strip(), key
        assert text[0].isupper() and text.rstrip().endswith("."), (key, text)

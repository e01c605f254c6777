"""The harness's verdict: passes are counted against the suite's full size (no node needed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from tests.conformance.w3c.harness import SuiteRun, assert_all_passed, local_config


def _run(passed: int, failures: Sequence[str] = (), pending: Sequence[str] = ()) -> SuiteRun:
    def test(title: str, **extra: Any) -> dict[str, Any]:
        return {"fullTitle": title, **extra}

    return SuiteRun(
        suite="demo-suite",
        stats={"tests": passed + len(failures) + len(pending)},
        passes=[test(f"passing {i}") for i in range(passed)],
        failures=[test(t, err={"message": "boom"}) for t in failures],
        pending=[test(t) for t in pending],
    )


def test_all_tests_passing_is_accepted() -> None:
    assert_all_passed(_run(5), 5)


def test_a_failed_before_all_hook_that_hides_tests_fails_the_run() -> None:
    # 3 passed, 1 hook failure: mocha ran 4 of a 6-test suite and reports no other failure.
    with pytest.raises(pytest.fail.Exception, match="expected 6 passed, got 3"):
        assert_all_passed(_run(3, ['S "before all" hook for "t"']), 6)


def test_fewer_tests_run_than_the_suite_has_fails_even_without_failures() -> None:
    with pytest.raises(pytest.fail.Exception, match="expected 6 passed, got 5"):
        assert_all_passed(_run(5), 6)


def test_documented_exceptions_must_match_exactly() -> None:
    hook = 'S "before all" hook for "t"'
    assert_all_passed(_run(3, [hook], ["skipped one"]), 6, exceptions={hook: 2, "skipped one": 1})
    with pytest.raises(pytest.fail.Exception, match="not documented"):
        assert_all_passed(_run(3, [hook, "other"]), 6, exceptions={hook: 2, "other x": 1})
    with pytest.raises(pytest.fail.Exception, match="no longer happen"):
        assert_all_passed(_run(6), 6, exceptions={hook: 0})


def test_local_config_names_only_mcbadge() -> None:
    config = local_config(issuers=[{"id": "did:x", "endpoint": "https://h/i", "tags": ["t"]}])
    assert config["settings"] == {"enableInteropTests": False, "testAllImplementations": False}
    assert [i["name"] for i in config["implementations"]] == ["mcbadge"]

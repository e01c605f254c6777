"""The public names of ``mcbadge``: all importable, lazily, and ``import mcbadge`` stays light."""

from __future__ import annotations

import subprocess
import sys

import mcbadge


def test_every_public_name_resolves() -> None:
    for name in mcbadge.__all__:
        assert getattr(mcbadge, name) is not None, name


def test_all_is_sorted_and_complete_in_dir() -> None:
    assert list(mcbadge.__all__) == sorted(mcbadge.__all__)
    assert set(mcbadge.__all__) <= set(dir(mcbadge))


def test_unknown_attribute_is_an_attribute_error() -> None:
    try:
        mcbadge.does_not_exist  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "does_not_exist" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")


def test_import_mcbadge_loads_no_heavy_dependency() -> None:
    code = (
        "import sys, mcbadge; "
        "print(','.join(m for m in ('pydantic', 'pyld', 'httpx', 'cryptography', 'jsonschema') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == ""


def test_issue_and_verify_stay_functions_after_their_modules_are_imported() -> None:
    # importing the submodule mcbadge.verify binds it on the package; the name must stay
    # the function (a fresh process, so the order of imports is the one under test)
    code = (
        "import mcbadge.issue, mcbadge.verify; "
        "from mcbadge import issue, verify; "
        "from mcbadge.verify import verify as same; "
        "print(callable(issue), callable(verify), same is verify)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.split() == ["True", "True", "True"]

"""The wheel stands alone: built from the sources, installed without extras in a fresh venv.

Outside this repository (another working directory, no ``PYTHONPATH``, every proxy pointing at
a closed loopback port so that any network use fails), the installed package runs the
documented first-run step (``mcbadge cache seed`` with the OB3 JSON Schemas, see
docs/decisions.md), the demo, and ``verify()`` with the OB3 schema check *passed*.
One build and one venv for the module: this is the slowest test group, so it stays one test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, REFERENCE_DIR

pytestmark = pytest.mark.wheel

_OFFLINE = "http://127.0.0.1:9"  # the discard port: nothing listens, every request fails

_VERIFY = """
import json, sys
import mcbadge
from mcbadge import verify

credential = open(sys.argv[1], encoding="utf-8").read()
issuer = sys.argv[2]
result = verify(credential, trusted_issuers=[issuer])
schema = result.report.check("schema.ob3")
print(json.dumps({"module": mcbadge.__file__, "schema": schema.status if schema else None}))
"""


def _run(args: list[str], *, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _build_wheel(tmp: Path) -> Path:
    # build from a copy, so the build leaves nothing in the working tree
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(PROJECT_ROOT / name, source / name)
    shutil.copytree(
        PROJECT_ROOT / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    dist = tmp / "dist"
    _run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=source,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    (wheel,) = dist.glob("mcbadge-*.whl")
    return wheel


def test_wheel_installs_alone_and_verifies_offline_with_the_schema_check_passed(
    tmp_path: Path,
) -> None:
    wheel = _build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "mcbadge/jsonld/contexts/manifest.json" in names
    assert "mcbadge/data/cohort.csv" in names
    assert "mcbadge/edubadges/testing/server.py" in names  # the fake ships for integrators
    assert any(name.endswith("licenses/LICENSE") for name in names)
    assert not any(name.startswith("tests/") for name in names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    # install: the wheel and its declared dependencies, no extras
    _run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        cwd=tmp_path,
        env=env,
    )

    work = tmp_path / "work"
    work.mkdir()
    offline = {
        **env,
        "MCBADGE_CACHE_DIR": str(tmp_path / "cache"),
        "HTTP_PROXY": _OFFLINE,
        "HTTPS_PROXY": _OFFLINE,
        "ALL_PROXY": _OFFLINE,
        "NO_PROXY": "",
    }
    mcbadge = str(venv / "bin" / "mcbadge")
    # the documented first-run step: put the pinned OB3 JSON Schemas in the cache
    seeded = json.loads(
        _run(
            [mcbadge, "--json", "cache", "seed", str(REFERENCE_DIR / "ob3" / "schemas")],
            cwd=work,
            env=offline,
        )
    )["seeded"]
    assert any("achievementcredential" in url for url in seeded)

    tour = _run([mcbadge, "demo", "--out", str(work / "demo")], cwd=work, env=offline)
    assert "✔ valid against the OB3 AchievementCredential JSON Schema (pinned)" in tour
    assert "skipped" not in tour.split("Verification report", 1)[0]

    credential = sorted((work / "demo" / "credentials").glob("*.json"))[0]
    issuer = json.loads(credential.read_text(encoding="utf-8"))["issuer"]
    issuer_id = issuer["id"] if isinstance(issuer, dict) else issuer
    out = json.loads(
        _run(
            [str(venv / "bin" / "python"), "-c", _VERIFY, str(credential), issuer_id],
            cwd=work,
            env=offline,
        )
    )
    assert out["schema"] == "passed"
    assert Path(out["module"]).is_relative_to(venv)

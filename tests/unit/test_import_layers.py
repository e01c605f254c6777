"""The house plan of src/mcbadge: declared layers, lower never imports higher, no circles.

Every ``import`` in every module counts for the layers -- at module level, inside functions,
and under ``if TYPE_CHECKING`` -- read with :mod:`ast`, so nothing is imported to check it.
For circles, the imports that run count (module level and inside functions); an import under
``if TYPE_CHECKING`` never runs, so it cannot close a circle. A module
belongs to the layer of its longest declared prefix; a module no layer declares fails the
test, so a new package says where it lives (and docs/architecture.md shows the same plan).
Inside a floor, :data:`ROOMS` orders the modules of the split packages, so that a room never
imports one above it, and there is no circle in src/ at all (no list of tolerated ones).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"

# Lowest first. A module may import its own layer and the layers below it, never above.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundation", ("mcbadge.errors", "mcbadge._internal", "mcbadge.net")),
    # the persistence port and its adapters: used by status and the service, needs only errors
    ("store", ("mcbadge.store",)),
    ("primitives", ("mcbadge.canon", "mcbadge.keys", "mcbadge.model")),
    # _internal.jws signs and verifies compact JWS with mcbadge.keys
    ("documents", ("mcbadge.did", "mcbadge.jsonld", "mcbadge.schema", "mcbadge._internal.jws")),
    ("proofs", ("mcbadge.proofs",)),
    (
        "credentials",
        (
            "mcbadge.microcredential",
            "mcbadge.summary",
            "mcbadge.bake",
            "mcbadge.status",
        ),
    ),
    # how a credential is shown: the report, certificates; and the edubadges integration
    ("formats", ("mcbadge.report", "mcbadge.render", "mcbadge.edubadges")),
    # issue() runs verify()'s signing-time checks (mcbadge.verify.signing) before it signs
    ("workflows", ("mcbadge.batch", "mcbadge.verify", "mcbadge.issue", "mcbadge.oid4vci")),
    ("applications", ("mcbadge.demo", "mcbadge.service")),
    # the command line, the package facade and the deprecated aliases of moved modules
    (
        "entry points",
        ("mcbadge.cli", "mcbadge.__init__", "mcbadge.loader", "mcbadge.fastrdf", "mcbadge.jwt"),
    ),
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(SRC.rglob("*.py"))}


MODULES = _modules()


def _resolve(name: str) -> str:
    """The module an imported dotted name refers to (``mcbadge`` itself is the facade)."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return "mcbadge.__init__" if name == "mcbadge" else name


def _type_only_lines(tree: ast.Module) -> set[int]:
    """Lines of imports under ``if TYPE_CHECKING:`` (they never run)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                for inner in ast.walk(child):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        lines.add(inner.lineno)
    return lines


def _imports(module: str, path: Path, *, runtime_only: bool = False) -> Iterator[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    skip = _type_only_lines(tree) if runtime_only else set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "mcbadge":
                    yield _resolve(alias.name), node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != "mcbadge":
                continue
            for alias in node.names:
                # `from package import submodule` imports the submodule
                target = f"{base}.{alias.name}"
                yield _resolve(target if target in MODULES else base), node.lineno


def _layer(module: str) -> int | None:
    best: tuple[int, int] | None = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (index, len(prefix))
    return None if best is None else best[0]


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        module = "mcbadge.__init__" if module == "mcbadge" else module
        edges = graph.setdefault(module, set())
        for target, _ in _imports(module, path, runtime_only=True):
            # a submodule importing names from its own package's __init__ counts: the
            # __init__ imports its submodules, so that is a circle too
            if target != module:
                edges.add(target)
    return graph


def test_every_module_is_in_a_declared_layer() -> None:
    missing = sorted(m for m in MODULES if m != "mcbadge" and _layer(m) is None)
    assert not missing, f"declare these modules in LAYERS (and docs/architecture.md): {missing}"


def test_no_module_imports_a_higher_layer() -> None:
    problems = []
    for module, path in MODULES.items():
        own = _layer("mcbadge.__init__" if module == "mcbadge" else module)
        if own is None:
            continue
        for target, line in _imports(module, path):
            theirs = _layer(target)
            if theirs is not None and theirs > own:
                problems.append(
                    f"{path.relative_to(SRC)}:{line}: {module} ({LAYERS[own][0]}) imports "
                    f"{target} ({LAYERS[theirs][0]})"
                )
    assert not problems, "lower layers import higher ones:\n" + "\n".join(problems)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every circle a depth-first walk of ``graph`` closes, as ``a -> b -> … -> a``."""
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return cycles


def test_there_is_no_import_circle() -> None:
    # no circle in src/, and no list of tolerated ones: a circle is cut by moving what both
    # sides share to a lower module, not by hiding an import inside a function
    cycles = _cycles(_graph())
    assert not cycles, "no circle in src/; found:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_circle_finder_finds_a_circle_through_a_function_level_import(tmp_path: Path) -> None:
    # the check must be able to fail: a function-level import that closes a circle counts
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from mcbadge.summary import summarize\n", encoding="utf-8")
    edges = {t for t, _ in _imports("mcbadge.canon", probe, runtime_only=True)}
    assert edges == {"mcbadge.summary"}
    graph = {"mcbadge.canon": edges, "mcbadge.summary": {"mcbadge.canon"}}
    assert _cycles(graph) == [["mcbadge.canon", "mcbadge.summary", "mcbadge.canon"]]
    assert _cycles({**graph, "mcbadge.summary": set()}) == []


# Inside a floor: the rooms of a package (and a few neighbours) in the order they may import
# each other, lowest first. A room imports only the rooms before it in its line (imports that
# run; a type-only import of a later room is allowed). Where a circle was cut, the line says
# which side is below: the credential summary reader sits below the builder, the SD-JWT format
# below key binding and below issuing/verifying.
ROOMS: tuple[tuple[str, ...], ...] = (
    tuple(
        f"mcbadge.store.{room}"
        for room in ("migrations", "oid4vci", "port", "pool", "sql", "sqlite", "postgres")
    ),
    ("mcbadge.summary", "mcbadge.microcredential"),
    tuple(
        f"mcbadge.microcredential.{room}"
        for room in ("vocabulary", "fields", "results", "policy", "mapping", "builder")
    ),
    tuple(f"mcbadge.keys.{room}" for room in ("signer", "encoding", "ed25519", "public", "pair")),
    tuple(
        f"mcbadge.did.{room}" for room in ("document", "did_key", "did_jwk", "did_web", "resolver")
    ),
    tuple(f"mcbadge.bake.{room}" for room in ("common", "png", "svg", "auto")),
    tuple(
        f"mcbadge.model.{room}"
        for room in ("vocabulary", "fields", "base", "classes", "credentials")
    ),
    tuple(f"mcbadge.canon.{room}" for room in ("rdfc", "pyld_dataset")),
    tuple(
        f"mcbadge.render.{room}" for room in ("labels", "text", "reading", "drawing", "certificate")
    ),
    tuple(
        f"mcbadge.edubadges.convert.{room}"
        for room in ("errors", "result", "reading", "assertion", "badge_class", "issuer", "award")
    ),
    ("mcbadge.edubadges._inputs", "mcbadge.edubadges._responses", "mcbadge.edubadges._http"),
    ("mcbadge.proofs.sdjwt_format", "mcbadge.proofs.sdjwt_kb", "mcbadge.proofs.sdjwt"),
    ("mcbadge.proofs.jwt_claims", "mcbadge.proofs.jwt"),
    tuple(
        f"mcbadge.status.{room}"
        for room in ("constants", "bitstring", "lists", "list_credential", "checker")
    ),
    tuple(f"mcbadge.status.token_list.{room}" for room in ("lists", "registry", "checker")),
)


def _in(module: str, room: str) -> bool:
    return module == room or module.startswith(room + ".")


def test_every_declared_room_exists() -> None:
    missing = [room for line in ROOMS for room in line if not any(_in(m, room) for m in MODULES)]
    assert not missing, f"ROOMS names modules that do not exist: {missing}"


def _room_problems(module: str, path: Path) -> list[str]:
    problems = []
    for line in ROOMS:
        for index, room in enumerate(line):
            if not _in(module, room):
                continue
            for target, lineno in _imports(module, path, runtime_only=True):
                above = next((r for r in line[index + 1 :] if _in(target, r)), None)
                if above is not None:
                    problems.append(
                        f"{path.name}:{lineno}: {module} imports {target}, a room above it "
                        f"({room} < {above})"
                    )
    return problems


def test_rooms_import_only_the_rooms_below_them() -> None:
    problems = [p for module, path in MODULES.items() for p in _room_problems(module, path)]
    assert not problems, "rooms import rooms above them:\n" + "\n".join(problems)


def test_the_room_check_finds_a_room_importing_one_above_it(tmp_path: Path) -> None:
    # the check must be able to fail: the summary reader importing the builder (the circle
    # that was cut), inside a function, and a key type importing KeyPair
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from mcbadge.microcredential import Learner\n")
    assert _room_problems("mcbadge.summary", probe)
    probe.write_text("from mcbadge.keys.pair import KeyPair\n")
    assert _room_problems("mcbadge.keys.signer", probe)
    probe.write_text("if TYPE_CHECKING:\n    from mcbadge.keys.pair import KeyPair\n")
    assert not _room_problems("mcbadge.keys.signer", probe)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from mcbadge.verify import verify\n", "mcbadge.verify"),
        ("def f():\n    from mcbadge.service import create_app\n", "mcbadge.service"),
        ("import mcbadge.cli.main\n", "mcbadge.cli.main"),
        ("from mcbadge.jsonld import fastrdf\n", "mcbadge.jsonld.fastrdf"),
        ("from mcbadge import __version__\n", "mcbadge.__init__"),
    ],
)
def test_the_checker_sees_every_kind_of_import(tmp_path: Path, source: str, expected: str) -> None:
    # the checker must be able to fail: these imports are what it has to find
    path = SRC / "mcbadge" / "canon.py"
    fake = tmp_path / "probe.py"
    fake.write_text(source, encoding="utf-8")
    found = {target for target, _ in _imports("mcbadge.canon", fake)}
    assert expected in found, (found, path)
    assert _layer(expected) is not None
    assert _layer("mcbadge.canon") is not None
    assert _layer(expected) > _layer("mcbadge.canon")  # type: ignore[operator]

"""Module paths that moved (issue 12) keep working for one release, with a DeprecationWarning."""

from __future__ import annotations

import importlib
import sys

import pytest

# old path -> new path, and a public name each must still give
MOVED = {
    "mcbadge.loader": ("mcbadge.jsonld.loader", "seed_pinned_cache_from"),
    "mcbadge.fastrdf": ("mcbadge.jsonld.fastrdf", "canonicalize"),
    "mcbadge.jwt": ("mcbadge.proofs.jwt", "decode_credential_jwt"),
}


@pytest.mark.parametrize("old", sorted(MOVED))
def test_old_module_path_warns_and_is_the_new_module(old: str) -> None:
    new, name = MOVED[old]
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=rf"{old} moved to {new}"):
        module = importlib.import_module(old)
    target = importlib.import_module(new)
    assert module is target
    assert getattr(module, name) is getattr(target, name)


def test_from_old_path_import_gives_the_same_object() -> None:
    sys.modules.pop("mcbadge.loader", None)
    with pytest.warns(DeprecationWarning):
        from mcbadge.loader import DocumentLoader as old
    from mcbadge.jsonld.loader import DocumentLoader

    assert old is DocumentLoader


def test_jsonld_package_keeps_the_names_of_the_former_module() -> None:
    import mcbadge.jsonld as package
    from mcbadge.jsonld import strict

    for name in ("check_strict", "strict_problems", "expand", "to_rdf_dataset"):
        assert getattr(package, name) is getattr(strict, name)

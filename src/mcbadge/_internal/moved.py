"""Old module paths that keep working, with a DeprecationWarning, for one release."""

from __future__ import annotations

import importlib
import sys
import warnings

__all__ = ["alias_module"]


def alias_module(old: str, new: str, *, until: str = "0.3.0") -> None:
    """Make the module ``old`` the very module ``new``, warning that the path moved.

    Called at the top of the stub left at the old path: after it, ``sys.modules[old]`` is the
    new module, so every name (private ones, monkeypatching) is the same object.

    Args:
        old: The former dotted module path (the stub's ``__name__``).
        new: Where the module lives now.
        until: The release that removes the old path.
    """
    warnings.warn(
        f"{old} moved to {new}; import it from there ({old} is removed in mcbadge {until})",
        DeprecationWarning,
        stacklevel=3,
    )
    module = importlib.import_module(new)
    sys.modules[old] = module
    parent, _, child = old.rpartition(".")
    setattr(sys.modules[parent], child, module)

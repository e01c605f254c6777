"""Deprecated: moved to :mod:`mcbadge.jsonld.loader` (this path is removed in mcbadge 0.3.0)."""

from typing import TYPE_CHECKING

from mcbadge._internal.moved import alias_module

if TYPE_CHECKING:
    from mcbadge.jsonld.loader import *  # noqa: F403

alias_module(__name__, "mcbadge.jsonld.loader")

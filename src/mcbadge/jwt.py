"""Deprecated: moved to :mod:`mcbadge.proofs.jwt` (this path is removed in mcbadge 0.3.0)."""

from typing import TYPE_CHECKING

from mcbadge._internal.moved import alias_module

if TYPE_CHECKING:
    from mcbadge.proofs.jwt import *  # noqa: F403

alias_module(__name__, "mcbadge.proofs.jwt")

"""``mcbadge serve``: the W3C VC API over HTTP(S) (the parser and the runner live in
:mod:`mcbadge.service`, which needs the ``service`` extra only when it runs)."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register_serve", "run_serve"]


def register_serve(sub: Any) -> None:
    """Add ``serve`` to the subparsers ``sub``."""
    from mcbadge.service import build_parser_serve

    build_parser_serve(sub)


def run_serve(args: argparse.Namespace) -> int:
    """Run ``mcbadge serve``; returns the exit code."""
    from mcbadge.service import run_serve as run

    return run(args)

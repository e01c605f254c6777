"""``mcbadge demo``: build, validate, sign and verify a sample microcredential."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["register_demo", "run_demo"]


def register_demo(sub: Any) -> None:
    """Add ``demo`` to the subparsers ``sub``."""
    demo = sub.add_parser("demo", help="build, validate and sign a sample microcredential")
    demo.add_argument("--out", type=Path, default=Path("demo-out"), help="output folder")


def run_demo(args: argparse.Namespace) -> int:
    """Run ``mcbadge demo``; returns the exit code."""
    from mcbadge.demo import run

    run(args.out, stream=sys.stdout)
    return 0

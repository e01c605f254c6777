"""``mcbadge cache``: the cache of pinned documents (OB3 JSON Schemas, edubadges context)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

__all__ = ["register_cache", "run_cache"]


def register_cache(sub: Any) -> None:
    """Add ``cache`` and its actions to the subparsers ``sub``."""
    cache = sub.add_parser(
        "cache",
        help="manage the cache of pinned documents (OB3 JSON Schemas, edubadges context)",
    )
    cache_sub = cache.add_subparsers(dest="cache_command", required=True, metavar="ACTION")
    seed = cache_sub.add_parser(
        "seed",
        help="copy every file in FOLDER that is a pinned document (matched by sha256) "
        "into the cache",
    )
    seed.add_argument("folder", type=Path, help="folder to search, e.g. a specifications checkout")


def run_cache(args: argparse.Namespace) -> int:
    """Run ``mcbadge cache ACTION``; returns the exit code."""
    from mcbadge.jsonld.pinned import seed_pinned_cache_from

    seeded = seed_pinned_cache_from(args.folder)
    if args.json:
        print(json.dumps({"seeded": seeded}))
    else:
        for url in seeded:
            print(f"seeded {url}")
        print(f"{len(seeded)} pinned document(s) seeded from {args.folder}")
    return 0

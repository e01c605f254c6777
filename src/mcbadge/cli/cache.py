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
    cache_sub.add_parser(
        "fetch",
        help="download every pinned document not yet in the cache, once, over HTTPS (each is "
        "checked against its pinned sha256); later runs are offline",
    )


def run_cache(args: argparse.Namespace) -> int:
    """Run ``mcbadge cache ACTION``; returns the exit code."""
    if args.cache_command == "fetch":
        return _fetch(args)
    from mcbadge.jsonld.pinned import seed_pinned_cache_from

    seeded = seed_pinned_cache_from(args.folder)
    if args.json:
        print(json.dumps({"seeded": seeded}))
    else:
        for url in seeded:
            print(f"seeded {url}")
        print(f"{len(seeded)} pinned document(s) seeded from {args.folder}")
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from mcbadge.errors import McBadgeError
    from mcbadge.jsonld.pinned import PINNED_DOCUMENTS, load_pinned

    results: dict[str, dict[str, str]] = {}
    for url in sorted(PINNED_DOCUMENTS):
        try:
            load_pinned(url, allow_network=True)
        except McBadgeError as exc:
            results[url] = {"status": "failed", "code": exc.code, "message": exc.message}
        else:
            results[url] = {"status": "cached"}
    failed = [url for url, result in results.items() if result["status"] == "failed"]
    if args.json:
        print(json.dumps({"documents": results}))
    else:
        for url, result in results.items():
            detail = f" [{result['code']}]: {result['message']}" if "code" in result else ""
            print(f"{result['status']} {url}{detail}")
        print(f"{len(results) - len(failed)} of {len(results)} pinned document(s) in the cache")
    return 1 if failed else 0

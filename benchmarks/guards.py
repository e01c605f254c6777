"""``make bench``, part two: how long the guards and the status list's full-size round trip take.

The tests prove these are *correct* (a poison graph is refused at the work limit, an SVG with
a DTD is refused before any entity is expanded, a 131,072-entry status list survives encode and
decode bit for bit); how *fast* they are is measured here, never asserted in a test, because a
shared two-core machine makes every clock in a test a flaky test.

* ``status_list_encode`` / ``status_list_decode``: a full-size Bitstring Status List
  (:data:`mcbadge.status.MIN_ENTRIES` entries, 5,000 revoked) to its gzip/base64url
  ``encodedList`` and back;
* ``rdfc_poison_clique``: RDFC-1.0 refusing a 10-node blank-node clique at the default work
  limit (``canonicalization_limit``);
* ``svg_dtd_refused``: baking and unbaking an SVG with an external entity and one with the
  "billion laughs" entities, both refused (``svg_dtd_forbidden``).

Usage (run by ``benchmarks/run.py``; alone too)::

    python benchmarks/guards.py [--quick]
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

_XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    '<svg xmlns="http://www.w3.org/2000/svg">&xxe;</svg>'
)
_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<svg xmlns="http://www.w3.org/2000/svg"><text>&lol9;</text></svg>'
)

ROWS: tuple[tuple[str, str], ...] = (
    ("status_list_encode", "Bitstring Status List, 131,072 entries (5,000 revoked): encode"),
    ("status_list_decode", "Bitstring Status List, 131,072 entries: decode (checked)"),
    ("rdfc_poison_clique", "RDFC-1.0 refuses a 10-node blank-node clique (work limit)"),
    ("svg_dtd_refused", "bake + unbake refuse an SVG with a DTD (XXE, billion laughs)"),
)


def _median_ms(fn: Callable[[], Any], iterations: int) -> dict[str, float | int]:
    for _ in range(max(2, iterations // 10)):
        fn()
    gc.collect()
    samples = []
    for _ in range(iterations):
        start = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return {"median_ms": statistics.median(samples), "n": len(samples)}


def _refused(fn: Callable[[], Any], code: str) -> Callable[[], None]:
    def run() -> None:
        try:
            fn()
        except Exception as exc:  # the typed error is what we wait for
            if getattr(exc, "code", None) != code:
                raise
        else:
            raise AssertionError(f"expected a refusal with {code}")

    return run


def run(*, quick: bool = False) -> dict[str, Any]:
    """Measure every guard; returns ``{name: {"median_ms": …, "n": …}}``."""
    from mcbadge.bake import bake_svg, unbake_svg
    from mcbadge.canon import rdfc10
    from mcbadge.status import MIN_ENTRIES, BitstringStatusList

    n = 5 if quick else 30
    status_list = BitstringStatusList.create()
    for index in random.Random(7).sample(range(MIN_ENTRIES), 5000):
        status_list.revoke(index)
    encoded = status_list.encode()
    if BitstringStatusList.decode(encoded).to_bytes() != status_list.to_bytes():
        raise AssertionError("the status list did not survive encode/decode")

    nodes = range(10)
    clique = "".join(f"_:n{i} <urn:ex:p> _:n{j} .\n" for i in nodes for j in nodes if i != j)
    jwt = "eyJhbGciOiJFZERTQSJ9.e30.c2ln"  # a compact JWS shape; the DTD is refused first
    svg_refusals = [
        _refused(lambda svg=svg: bake_svg(svg, jwt), "svg_dtd_forbidden") for svg in (_XXE, _LAUGHS)
    ] + [_refused(lambda svg=svg: unbake_svg(svg), "svg_dtd_forbidden") for svg in (_XXE, _LAUGHS)]

    def svg_all() -> None:
        for refusal in svg_refusals:
            refusal()

    return {
        "status_list_encode": _median_ms(status_list.encode, n),
        "status_list_decode": _median_ms(lambda: BitstringStatusList.decode(encoded), n),
        "rdfc_poison_clique": _median_ms(
            _refused(lambda: rdfc10(clique), "canonicalization_limit"), n
        ),
        "svg_dtd_refused": _median_ms(svg_all, n * 3),
    }


def table(results: dict[str, Any]) -> str:
    """The measurements as a Markdown table."""
    lines = ["| guard / full-size operation | median ms |", "|---|---:|"]
    for key, label in ROWS:
        entry = results.get(key)
        value = f"{entry['median_ms']:.2f}" if isinstance(entry, dict) else "—"
        lines.append(f"| {label} | {value} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer iterations (a smoke run)")
    args = parser.parse_args(argv)
    print(table(run(quick=args.quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

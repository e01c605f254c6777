"""Run the fake edubadges server until interrupted (or until stdin closes with --until-stdin-eof).

Prints one JSON line with ``base_url``, ``token_url``, the seeded credentials and ids, and
writes the same JSON to ``--ready-file`` when given (written only once the server listens)::

    python -m mcbadge.edubadges.testing --ready-file /tmp/fake.json &
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from dataclasses import asdict
from pathlib import Path

from mcbadge.edubadges.testing.server import FakeEdubadges


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mcbadge.edubadges.testing")
    parser.add_argument("--ready-file", type=Path, help="write the connection JSON here")
    parser.add_argument("--seed", type=int, default=0, help="seed for entity ids")
    parser.add_argument(
        "--until-stdin-eof", action="store_true", help="stop when standard input closes"
    )
    args = parser.parse_args(argv)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with FakeEdubadges(seed=args.seed) as fake:
        seed = fake.seed_defaults()
        info = {"base_url": fake.base_url, "token_url": fake.token_url, **asdict(seed)}
        text = json.dumps(info)
        if args.ready_file is not None:
            tmp = args.ready_file.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(args.ready_file)
        print(text, flush=True)
        if args.until_stdin_eof:

            def wait_for_eof() -> None:
                sys.stdin.read()
                stop.set()

            threading.Thread(target=wait_for_eof, daemon=True).start()
        stop.wait()
        if fake.internal_errors:
            print("\n".join(fake.internal_errors), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

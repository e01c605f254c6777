"""Award an edubadge to a cohort from a direct-award CSV, follow the bundle, optionally undo it.

The CSV is one of the two formats edubadges accepts (``sample_direct_award.csv``: e-mail + EPPN,
or ``sample_direct_award_email_only.csv``: e-mail + names); the format is read from the header.
Re-running the program is safe: learners who already hold an unclaimed award for the badge
class are skipped, and an interrupted request is never repeated blindly.

Run against the fake edubadges server used by the tests::

    .venv/bin/python -m mcbadge.edubadges.testing --ready-file /tmp/fake.json &
    .venv/bin/python examples/edubadges_award_cohort.py \\
        --base-url "$(jq -r .base_url /tmp/fake.json)" --token "$(jq -r .token /tmp/fake.json)" \\
        --badgeclass "$(jq -r .badgeclass /tmp/fake.json)" \\
        ../shared/reference/edubadges/misc/sample_direct_award.csv

Against edubadges itself, use your SIS client credentials (SURFconext) instead of ``--token``:
``--client-id``, ``--client-secret`` (or ``EDUBADGES_CLIENT_SECRET``) and ``--token-url``.
The last line printed is a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from mcbadge.edubadges import EdubadgesClient, IdentifierType, read_recipients_csv
from mcbadge.errors import McBadgeError


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", type=Path, help="direct-award CSV file (';'-separated)")
    parser.add_argument(
        "--base-url", required=True, help="edubadges API, e.g. https://api.edubadges.nl"
    )
    parser.add_argument("--badgeclass", required=True, help="badge class entity id")
    parser.add_argument(
        "--token",
        default=os.environ.get("EDUBADGES_TOKEN"),
        help="bearer token (default: $EDUBADGES_TOKEN)",
    )
    parser.add_argument("--client-id", help="OAuth2 client id (instead of --token)")
    parser.add_argument(
        "--client-secret",
        default=os.environ.get("EDUBADGES_CLIENT_SECRET"),
        help="OAuth2 client secret (default: $EDUBADGES_CLIENT_SECRET)",
    )
    parser.add_argument("--token-url", help="OAuth2 token endpoint (SURFconext)")
    parser.add_argument("--no-notify", action="store_true", help="do not e-mail the learners")
    parser.add_argument("--poll", type=int, default=1, help="times to read the bundle (default 1)")
    parser.add_argument("--poll-interval", type=float, default=2.0, help="seconds between polls")
    parser.add_argument(
        "--delete-unclaimed",
        metavar="REASON",
        help="afterwards delete the bundle's unclaimed awards with this reason",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.client_id:
        credentials = {
            "client_id": args.client_id,
            "client_secret": args.client_secret,
            "token_url": args.token_url,
        }
    else:
        credentials = {"token": args.token}
    try:
        recipients = read_recipients_csv(args.csv)
        identifier_type: IdentifierType = "eppn" if recipients[0].eppn else "email"
        with EdubadgesClient(base_url=args.base_url, **credentials) as client:
            result = client.direct_award(
                args.badgeclass,
                recipients,
                identifier_type=identifier_type,
                notify=not args.no_notify,
                skip_existing=True,
            )
            awarded = (
                len(recipients)
                - len(result.already_present)
                - len(result.un_successful_direct_award)
            )
            print(
                f"Awarded {awarded} of {len(recipients)} learners "
                f"(bundle {result.entity_id}); {len(result.already_present)} already had one."
            )
            for row in result.un_successful_direct_award:
                print(f"  refused: {row.email or row.eppn}: {row.error}")

            # Learners found already awarded hold unclaimed awards too (from an earlier run).
            unclaimed = [p.entity_id for p in result.already_present]
            if result.entity_id is not None:
                for attempt in range(max(1, args.poll)):
                    if attempt:
                        time.sleep(args.poll_interval)
                    bundle = client.bundle(result.entity_id)
                    print(
                        f"Bundle {result.entity_id}: {bundle.direct_award_count} unclaimed, "
                        f"{bundle.assertion_count} claimed, "
                        f"{bundle.direct_award_rejected_count} rejected."
                    )
                unclaimed += [
                    d.entity_id
                    for d in bundle.direct_awards
                    if d.status in ("Unaccepted", "Scheduled")
                ]

            deleted = 0
            if args.delete_unclaimed and unclaimed:
                outcome = client.delete_direct_awards(unclaimed, args.delete_unclaimed)
                deleted = len(unclaimed) - len(outcome.un_successful)
                print(f"Deleted {deleted} unclaimed awards.")
    except McBadgeError as exc:
        print(f"error [{exc.code}]: {exc}", file=sys.stderr)
        return 1
    print(
        json.dumps(
            {
                "bundle": result.entity_id,
                "awarded": awarded,
                "already_present": len(result.already_present),
                "refused": len(result.un_successful_direct_award),
                "unclaimed": len(unclaimed),
                "deleted": deleted,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``mcbadge issue … --data-dir DIR | --database URL``: status entries from the service's store.

A credential issued from the command line gets its ``BitstringStatusListEntry`` entries from
the same store ``mcbadge serve`` uses (:class:`~mcbadge.service.status.ServiceStatus`): the
same lists, the same random never-reused indexes, and a line in the issuance log. So
``mcbadge status revoke --data-dir DIR --credential-id ID`` and the lists the service hosts
cover it like any credential the service issued.

Which lists: the purposes the store currently allocates on (what the service has been
issuing), or ``--status``; list URLs are ``{public URL}/status/{purpose}/{n}``, the public
URL taken from ``--public-url`` or read back from the store's current lists. A store with no
list yet and no ``--public-url`` is ``store_status_not_configured``.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TYPE_CHECKING

from mcbadge.cli.status_store import open_from_args, uses_store
from mcbadge.errors import InvalidInputError, StoreError

if TYPE_CHECKING:
    from mcbadge.keys import Signer
    from mcbadge.service.status import ServiceStatus
    from mcbadge.store import Store

__all__ = ["add_issue_store_options", "check_issue_store_options", "store_status"]


def add_issue_store_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--data-dir``, ``--database``, ``--public-url`` and ``--status`` to ``issue``."""
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="allocate status entries from the service's store in DIR (SQLite) and log the "
        "issuance there (instead of --status-state)",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="the same with the service's database (postgresql://…)",
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="with a store: where the service is reached, for new list URLs (default: read "
        "from the store's current lists)",
    )
    parser.add_argument(
        "--status",
        metavar="PURPOSES",
        help="with a store: revocation, suspension or revocation,suspension (default: the "
        "purposes the store's lists allocate on)",
    )


def check_issue_store_options(args: argparse.Namespace) -> None:
    """Refuse combinations that make no sense (before any key is loaded).

    Raises:
        InvalidInputError: ``invalid_option`` for a store together with ``--status-state`` /
            ``--status-list``, both ``--data-dir`` and ``--database``, or ``--public-url`` /
            ``--status`` without a store.
    """
    if args.data_dir is not None and args.database is not None:
        raise InvalidInputError(
            "give the store once: --data-dir DIR or --database URL, not both",
            code="invalid_option",
        )
    if uses_store(args):
        if args.status_state is not None or args.status_list is not None:
            raise InvalidInputError(
                "--status-state/--status-list (a JSON state file) and --data-dir/--database "
                "(the service's store) are two ways of allocating status: give one (move a "
                "state file into the store with 'mcbadge status migrate')",
                code="invalid_option",
            )
    elif args.public_url is not None or args.status is not None:
        raise InvalidInputError(
            "--public-url and --status are for the store: give --data-dir DIR or --database URL",
            code="invalid_option",
        )


def _current_base(store: Store, purposes: tuple[str, ...]) -> str | None:
    """The public URL the store's current lists were made under, or ``None``.

    Raises:
        StoreError: ``store_status_not_configured`` when a purpose has no list to allocate on.
    """
    current = {info.purpose: info.url for info in store.status_lists() if info.allocating}
    missing = [p for p in purposes if p not in current]
    if missing:
        raise StoreError(
            f"the store has no {' or '.join(missing)} status list yet: give --public-url URL "
            "(where the service is reached; its lists are URL/status/PURPOSE/N), or start "
            "'mcbadge serve' on this store once",
            code="store_status_not_configured",
            purposes=missing,
        )
    bases = set()
    for purpose in purposes:
        match = re.fullmatch(rf"(https?://.+)/status/{purpose}/[0-9]+", current[purpose])
        bases.add(match.group(1) if match else None)
    return bases.pop() if len(bases) == 1 else None


def store_status(
    args: argparse.Namespace, *, key: Signer, verification_method: str, issuer_id: str
) -> ServiceStatus:
    """Open the store named by ``args`` and the :class:`ServiceStatus` that allocates from it.

    Close it with ``status.store.close()``.

    Raises:
        StoreError: the store cannot be opened; ``store_status_not_configured``.
        InvalidInputError: a bad ``--status`` or ``--public-url``.
    """
    from mcbadge.service.status import ServiceStatus, parse_purposes

    store = open_from_args(args)
    try:
        public_url: str | None = args.public_url
        if args.status is not None:
            purposes = parse_purposes(args.status)
        else:
            allocating = {i.purpose for i in store.status_lists() if i.allocating}
            purposes = parse_purposes(sorted(allocating)) if allocating else ("revocation",)
        if len(purposes) > 1:
            # OB 3.0's JSON Schema makes credentialStatus one object: the credential the CLI
            # issues (an AchievementCredential) can carry one entry, so one purpose
            chosen = "" if args.status is not None else " (the store's lists allocate on both)"
            raise InvalidInputError(
                f"an Open Badges 3.0 credential carries one credentialStatus entry (its JSON "
                f"Schema makes it an object), so issue allows one purpose{chosen}: give "
                "--status revocation or --status suspension",
                code="status_purposes_unsupported",
                purposes=list(purposes),
            )
        if public_url is None:
            public_url = _current_base(store, purposes)
        return ServiceStatus(
            store,
            public_url=public_url,
            purposes=purposes,
            key=key,
            verification_method=verification_method,
            issuer_id=issuer_id,
        )
    except BaseException:
        store.close()
        raise

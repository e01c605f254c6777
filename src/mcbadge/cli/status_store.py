"""``mcbadge status`` on the service's store (``--data-dir DIR`` or ``--database URL``).

* ``mcbadge status migrate STATE.json… --data-dir DIR`` imports status list state files (the
  CLI's JSON format) into the store, so that the service keeps, changes and serves those
  lists too. The files are left as they are.
* ``mcbadge status revoke|suspend|reinstate --data-dir DIR --credential-id ID [--reason R]``
  changes a credential the service issued (every entry it has for that purpose), or
  ``--list URL INDEX…`` for indexes; the service serves the new list at once.
* ``mcbadge status show --data-dir DIR`` lists the store's lists and what they hold.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from mcbadge.errors import InvalidInputError
from mcbadge.store import Store, open_store

__all__ = [
    "add_store_options",
    "open_from_args",
    "run_migrate",
    "run_store_change",
    "run_store_show",
    "uses_store",
]


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--data-dir`` and ``--database`` (the store the service uses)."""
    parser.add_argument(
        "--data-dir", type=Path, metavar="DIR", help="the service's data folder (SQLite store)"
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="the service's database (postgresql://…; or $MCBADGE_DATABASE_URL)",
    )


def uses_store(args: argparse.Namespace) -> bool:
    """Whether the command works on a store rather than a state file."""
    return bool(getattr(args, "data_dir", None) or getattr(args, "database", None))


def open_from_args(args: argparse.Namespace) -> Store:
    """Open the store that ``--data-dir`` / ``--database`` (or $MCBADGE_DATABASE_URL) name.

    Raises:
        InvalidInputError: ``invalid_option`` when neither is given.
        StoreError: the store cannot be opened.
    """
    data_dir = getattr(args, "data_dir", None)
    database = getattr(args, "database", None)
    if database is None and data_dir is None:  # an explicit --data-dir beats the environment
        database = os.environ.get("MCBADGE_DATABASE_URL")
    if database is None and data_dir is None:
        raise InvalidInputError(
            "give the store: --data-dir DIR or --database URL", code="invalid_option"
        )
    return open_store(database, data_dir=data_dir)


def _print(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def run_migrate(args: argparse.Namespace) -> int:
    """Import JSON state files into the store; returns the exit code.

    Raises:
        StatusListError: a state file is missing or damaged.
        StoreError: the store has that list already, or cannot be written.
    """
    from mcbadge.batch import StatusListState

    states = [(path, StatusListState.load(path)) for path in args.states]
    imported = []
    with open_from_args(args) as store:
        for path, state in states:
            length = state.status_list.length
            allocated = [i for i in range(length) if state.allocator.is_allocated(i)]
            info = store.import_list(
                url=state.url,
                purpose=state.purpose,
                length=length,
                allocated=allocated,
                set_indexes=state.status_list.nonzero_indexes(),
            )
            imported.append(
                {
                    "state": str(path),
                    "url": info.url,
                    "purpose": info.purpose,
                    "allocated": info.allocated,
                    "set": len(state.status_list.nonzero_indexes()),
                }
            )
    if args.json:
        _print({"imported": imported})
    else:
        for item in imported:
            print(
                f"imported {item['state']}: {item['url']} ({item['purpose']}, "
                f"{item['allocated']} indexes in use, {item['set']} set)"
            )
    return 0


def run_store_change(args: argparse.Namespace, action: str) -> int:
    """Revoke, suspend or reinstate in the store; returns the exit code.

    Raises:
        InvalidInputError: no credential id and no list/index given.
        StoreError: ``status_entry_not_found``, ``status_not_reversible``.
    """
    purpose = "revocation" if action == "revoke" else "suspension"
    value = action != "reinstate"
    ids: list[str] = list(getattr(args, "credential_id", None) or [])
    indexes: list[int] = list(getattr(args, "index", None) or [])
    list_url = getattr(args, "list", None)
    state = getattr(args, "state", None)
    if state is not None:
        # with a store there is no state file: a first bare number is an index
        if not str(state).isdigit():
            raise InvalidInputError(
                "give either a state file or --data-dir/--database, not both",
                code="invalid_option",
            )
        indexes.insert(0, int(str(state)))
    if getattr(args, "credential", None):
        raise InvalidInputError(
            "with a store, name credentials by --credential-id (the id the service logged)",
            code="invalid_option",
        )
    if not ids and not (list_url and indexes):
        raise InvalidInputError(
            f"status {action}: give --credential-id ID, or --list URL and indexes",
            code="invalid_option",
        )
    changes = []
    with open_from_args(args) as store:
        for credential_id in ids:
            changes += store.set_status(
                purpose=purpose,
                value=value,
                credential_id=credential_id,
                reason=args.reason,
                actor="cli",
            )
        for index in indexes:
            changes += store.set_status(
                purpose=purpose,
                value=value,
                list_url=list_url,
                index=index,
                reason=args.reason,
                actor="cli",
            )
    out = [
        {
            "credentialId": c.credential_id,
            "statusListCredential": c.list_url,
            "statusListIndex": c.index,
            "action": c.action,
            "changed": c.changed,
        }
        for c in changes
    ]
    if args.json:
        _print({"action": action, "changes": out})
    else:
        done = {"revoke": "revoked", "suspend": "suspended", "reinstate": "reinstated"}[action]
        for c in changes:
            what = c.credential_id or f"index {c.index}"
            state = done if c.changed else f"was {done} already"
            print(f"{what}: {state} ({c.list_url} #{c.index})")
    return 0


def run_store_show(args: argparse.Namespace) -> int:
    """Print the store's lists; returns the exit code.

    Raises:
        StoreError: the store cannot be read.
    """
    with open_from_args(args) as store:
        lists: list[dict[str, Any]] = [
            {
                "url": info.url,
                "purpose": info.purpose,
                "length": info.length,
                "allocated": info.allocated,
                "allocating": info.allocating,
                "set": store.set_indexes(info.url),
            }
            for info in store.status_lists()
        ]
        issued = store.issuance_count()
        version = store.schema_version()
    if args.json:
        _print({"schemaVersion": version, "issued": issued, "lists": lists})
    else:
        print(f"store schema version {version}; {issued} credential(s) in the issuance log")
        for item in lists:
            flag = "" if item["allocating"] else " (not allocating)"
            print(
                f"{item['url']} ({item['purpose']}, {item['length']} entries{flag}): "
                f"{item['allocated']} in use, set: "
                f"{', '.join(str(i) for i in item['set']) or 'none'}"
            )
    return 0

"""Signing rows: the per-row issuer, in the parent or in worker processes.

The plan (what every row shares) goes to each worker once; tasks and outcomes are small.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import signal
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import orjson

from mcbadge._internal.files import fsync_directory as _fsync_dir
from mcbadge._internal.files import write_atomic
from mcbadge.batch import checkpoints
from mcbadge.batch.cohort import _FALSE, _IDENTIFIER_COLUMNS, _TRUE, CREDENTIAL_FIELDS
from mcbadge.batch.journal import _derived_id
from mcbadge.errors import (
    InvalidInputError,
    McBadgeError,
)

if TYPE_CHECKING:
    from mcbadge.keys import Signer
    from mcbadge.microcredential import Learner, Microcredential
    from mcbadge.proofs.data_integrity import CryptosuiteName


# --------------------------------------------------------------------------- the row issuer


@dataclass(frozen=True)
class _Plan:
    """Everything a worker needs, picklable (no key objects)."""

    batch_id: str
    created: str
    salt_key: str
    unit: Mapping[str, Any]
    format: str
    cryptosuite: str
    profile: str
    policy: str | None
    issuer_id: str
    verification_method: str
    status_url: str | None
    status_purpose: str | None
    out_dir: str
    fsync_each_file: bool


@dataclass(frozen=True)
class _Task:
    row: int
    fields: Mapping[str, str | bool]
    problem: Mapping[str, Any] | None
    index: int | None
    file: str
    status_url: str | None = None  # the row's list, when not the plan's (a store's lists)


@dataclass(frozen=True)
class _Outcome:
    row: int
    file: str
    id: str | None
    index: int | None
    error: Mapping[str, Any] | None


class _RowIssuer:
    """Builds and signs rows; one per worker process, the unit parsed once."""

    def __init__(self, plan: _Plan, key: Signer, *, share_unit_part: bool = True) -> None:
        from mcbadge.microcredential import Microcredential

        self.plan = plan
        self.key = key
        unit = {k: v for k, v in plan.unit.items() if k not in CREDENTIAL_FIELDS}
        self.template: Microcredential = Microcredential.from_dict(
            {**unit, "learner": {"name": "-"}}
        )
        result = unit.get("result")
        self.result_base: dict[str, Any] = dict(result) if isinstance(result, Mapping) else {}
        self.namespace = uuid.UUID(plan.batch_id)
        self.salt_key = bytes.fromhex(plan.salt_key)
        self.out_dir = Path(plan.out_dir)
        # the unit's part of the rows' credentials, built once and shared by the documents
        # (they are only read: issue() signs its own copy); not for documents handed out
        self.frames: dict[Any, Any] | None = {} if share_unit_part else None

    def credential_id(self, row: int, fields: Mapping[str, str | bool]) -> str:
        explicit = fields.get("id")
        if isinstance(explicit, str):
            return explicit
        return _derived_id(self.namespace, row)

    def _learner(self, row: int, fields: Mapping[str, str | bool]) -> Learner:
        from mcbadge.microcredential import HashedIdentity, Learner
        from mcbadge.model.classes import salted_identity_hash

        name = fields.get("name")
        if not isinstance(name, str):
            raise InvalidInputError(
                "name is empty: the learner's full name is required",
                code="row_missing_name",
                field="name",
            )
        hashed: list[HashedIdentity] = []
        for column, identity_type in _IDENTIFIER_COLUMNS:
            value = fields.get(column)
            if isinstance(value, str):
                if column == "email":
                    _check_email_column(value)
                # salt fixed per batch and row: a row signed again is the same credential
                salt = hmac.new(
                    self.salt_key, f"{row}\x00{identity_type}".encode(), hashlib.sha256
                ).hexdigest()[:32]
                # valid by construction (a known type, "sha256$" + 64 hex digits, a hex salt):
                # built without the validators, which test_batch runs on the same values
                hashed.append(
                    HashedIdentity.model_construct(
                        identity_type=identity_type,
                        identity_hash=salted_identity_hash(value, salt),
                        salt=salt,
                    )
                )
        did = fields.get("did")
        return Learner(
            name=name, did=did if isinstance(did, str) else None, hashed_identities=hashed
        )

    def _passed(self, fields: Mapping[str, str | bool]) -> bool:
        value = fields.get("passed", True)
        if isinstance(value, bool):
            return value
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise InvalidInputError(
            f"passed must be true or false (also yes/no, ja/nee, 1/0), got {value!r}",
            code="row_malformed",
            field="passed",
        )

    def build(self, task: _Task, *, cred_id: str | None = None) -> dict[str, Any]:
        """The unsigned credential of a row (with its status entry)."""
        from mcbadge.microcredential import Result

        if task.problem is not None:
            raise InvalidInputError(
                str(task.problem.get("message")),
                code=str(task.problem.get("code", "row_malformed")),
            )
        fields = task.fields
        if not self._passed(fields):
            raise InvalidInputError(
                "the learner did not pass (passed is false): a microcredential is only "
                "awarded to learners who passed; remove the row",
                code="row_not_passed",
                field="passed",
            )
        result_data = dict(self.result_base)
        grade = fields.get("grade")
        if isinstance(grade, str):
            result_data["grade"] = grade
        microcredential = self.template.model_copy(
            update={
                "learner": self._learner(task.row, fields),
                "result": Result.from_dict(result_data),
            }
        )
        dates: dict[str, str | None] = {}
        for name in CREDENTIAL_FIELDS:
            value = fields.get(name, self.plan.unit.get(name))
            dates[name] = value if isinstance(value, str) else None
        # read-only: the unit's part is shared between rows (issue() copies what it signs)
        document: dict[str, Any] = microcredential._credential_dict(
            frames=self.frames,
            id=cred_id or self.credential_id(task.row, fields),
            valid_from=dates["valid_from"] or self.plan.created,
            valid_until=dates["valid_until"],
            awarded_date=dates["awarded_date"],
            issuer_id=self.plan.issuer_id,
            profile=self.plan.profile,  # type: ignore[arg-type]
            policy=self.plan.policy,  # type: ignore[arg-type]
        )
        list_url = task.status_url or self.plan.status_url
        if task.index is not None and list_url is not None:
            from mcbadge.status import entry

            document["credentialStatus"] = entry(
                task.index,
                list_url=list_url,
                purpose=self.plan.status_purpose or "revocation",
            )
        return document

    def sign(self, document: Mapping[str, Any]) -> bytes:
        from mcbadge.issue import issue

        if self.plan.format == "jwt":
            token = issue(
                document, self.key, format="jwt", verification_method=self.plan.verification_method
            )
            return (token + "\n").encode("ascii")
        signed = issue(
            document,
            self.key,
            cryptosuite=cast("CryptosuiteName", self.plan.cryptosuite),
            verification_method=self.plan.verification_method,
            created=self.plan.created,
        )
        # one line, compact: orjson writes it ~15x faster than json (indent=2 cost more than
        # signing); UTF-8, keys in the credential's order, as json.dumps(ensure_ascii=False)
        return orjson.dumps(signed) + b"\n"

    def run(self, task: _Task) -> _Outcome:
        cred_id = self.credential_id(task.row, task.fields)
        try:
            data = self.sign(self.build(task, cred_id=cred_id))
            write_atomic(self.out_dir / task.file, data, durable=self.plan.fsync_each_file)
        except McBadgeError as exc:
            error = exc.to_dict()
            return _Outcome(task.row, task.file, None, task.index, error)
        except OSError as exc:
            error = {
                "code": "output_unwritable",
                "message": f"cannot write {task.file}: {exc.strerror or exc}",
            }
            return _Outcome(task.row, task.file, None, task.index, error)
        except Exception as exc:  # noqa: BLE001 - a bug must fail its row, not the batch
            error = {
                "code": "internal_error",
                "message": f"unexpected {type(exc).__name__}: {exc}",
            }
            return _Outcome(task.row, task.file, None, task.index, error)
        checkpoints.reached("output_written")
        return _Outcome(task.row, task.file, cred_id, task.index, None)

    def run_chunk(self, tasks: Sequence[_Task]) -> list[_Outcome]:
        outcomes = [self.run(task) for task in tasks]
        if self.plan.fsync_each_file:
            _fsync_dir(self.out_dir)  # once per chunk: the renames above are durable
        return outcomes


# --------------------------------------------------------------------------- worker processes

_WORKER: _RowIssuer | None = None


def _watch_parent(parent: int) -> None:  # pragma: no cover - runs in worker processes
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)  # the parent died (kill -9): do not outlive it


def _worker_init(plan: _Plan, pem: bytes, parent: int) -> None:  # pragma: no cover - in workers
    global _WORKER
    from mcbadge.keys import KeyPair

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    key = KeyPair.from_pem(pem, verification_method=plan.verification_method)
    _WORKER = _RowIssuer(plan, key)


def _worker_run(tasks: Sequence[_Task]) -> list[_Outcome]:  # pragma: no cover - in workers
    if _WORKER is None:
        raise RuntimeError("worker not initialised")
    return _WORKER.run_chunk(tasks)


def _check_email_column(value: str) -> None:
    from mcbadge._internal.grades import email_problem
    from mcbadge.errors import ModelValidationError

    problem = email_problem(value)
    if problem is not None:
        raise ModelValidationError(
            f"email {value!r} is not an e-mail address: {problem}",
            errors=[{"loc": "email", "msg": problem, "type": "email"}],
            field="email",
        )

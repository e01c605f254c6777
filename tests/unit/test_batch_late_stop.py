"""A Ctrl-C that arrives after the last row: the run says so instead of asking to resume."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from mcbadge import batch
from mcbadge.batch import Cohort, issue_batch, load_unit
from mcbadge.cli.issuing import _print_batch
from mcbadge.keys import KeyPair
from tests.conftest import PROJECT_ROOT

KEY = KeyPair.from_seed(bytes(range(32)))


def test_ctrl_c_after_the_last_row_is_not_an_interrupted_run(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    unit = load_unit(PROJECT_ROOT / "examples" / "cohort.unit.toml")
    rows = [
        {"name": f"L{n}", "email": f"l{n}@student.hs-voorbeeld.nl", "grade": "7"} for n in range(4)
    ]

    def late_interrupt(progress: batch.BatchProgress) -> None:
        if progress.issued_this_run == len(rows):
            os.kill(os.getpid(), signal.SIGINT)

    result = issue_batch(
        Cohort.from_records(unit, rows),
        KEY,
        out_dir=tmp_path / "out",
        cryptosuite="eddsa-jcs-2022",
        progress=late_interrupt,
    )
    assert len(result.issued) == 4
    assert not result.interrupted and result.stopped_after_last_row and result.ok
    assert result.to_dict()["stopped_after_last_row"] is True
    _print_batch(result)
    err = capsys.readouterr().err
    assert "interrupted after the last row" in err
    assert "run the same command again" not in err

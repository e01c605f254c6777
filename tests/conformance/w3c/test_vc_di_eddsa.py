"""The W3C vc-di-eddsa suite (eddsa-rdfc-2022 and eddsa-jcs-2022): 57 of 57 tests pass.

Command (what this test runs, from build/w3c-suites/vc-di-eddsa-test-suite, after
``make w3c-suites``)::

    node node_modules/mocha/bin/mocha.js tests/ --timeout 15000 --preserve-symlinks \\
        --reporter json --reporter-option output=FILE
"""

from __future__ import annotations

from pathlib import Path

from tests.conformance.w3c.harness import (
    assert_all_passed,
    endpoint,
    local_config,
    mcbadge_serve,
    run_suite,
)

SUITE = "vc-di-eddsa-test-suite"
TOTAL = 57


def test_vc_di_eddsa_suite_passes_every_test(tmp_path: Path) -> None:
    with mcbadge_serve(tmp_path, extra_args=["--w3c-examples-context"]) as service:
        config = local_config(
            issuers=[
                endpoint(
                    service,
                    "/credentials/issue",
                    tags=["eddsa-rdfc-2022"],
                    options={"cryptosuite": "eddsa-rdfc-2022"},
                    supports={"vc": ["1.1", "2.0"]},
                ),
                endpoint(
                    service,
                    "/credentials/issue",
                    tags=["eddsa-jcs-2022"],
                    options={"cryptosuite": "eddsa-jcs-2022"},
                    supports={"vc": ["2.0"]},
                ),
            ],
            verifiers=[
                endpoint(service, "/credentials/verify", tags=["eddsa-rdfc-2022", "eddsa-jcs-2022"])
            ],
        )
        run = run_suite(SUITE, config, tmp_path, service=service)
    assert_all_passed(run, TOTAL)

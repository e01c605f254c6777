"""The W3C VC Data Model 2.0 suite (tag ``vc2.0``): 59 of 59 tests pass.

The suite posts to ``http:`` URLs with raw ``node:http`` and does not unwrap the VC API answer
``{"verifiableCredential": …}`` there; over ``https:`` it uses the shared client, which does.
So the service runs over HTTPS (a throw-away certificate the suite is told to trust).
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

SUITE = "vc-data-model-2.0-test-suite"
TOTAL = 59


def test_vc_data_model_2_suite_passes_every_test(tmp_path: Path) -> None:
    with mcbadge_serve(tmp_path, extra_args=["--w3c-examples-context"]) as service:
        config = local_config(
            issuers=[endpoint(service, "/credentials/issue", tags=["vc2.0"])],
            verifiers=[endpoint(service, "/credentials/verify", tags=["vc2.0"])],
            vpVerifiers=[endpoint(service, "/presentations/verify", tags=["vc2.0"])],
        )
        run = run_suite(SUITE, config, tmp_path, service=service)
    assert_all_passed(run, TOTAL)

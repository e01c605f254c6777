"""A faithful fake of the edubadges endpoints mcbadge's client uses, served over loopback HTTP.

Example::

    with FakeEdubadges() as fake:
        seed = fake.seed_defaults()
        client = EdubadgesClient(base_url=fake.base_url, token=seed.token)
        fake.faults.script(Fault.drop(when="after"), method="POST", path="/directaward/create")

Run it standalone (for the example program or manual poking)::

    python -m tests.edubadges_fake --ready-file /tmp/fake.json
"""

from __future__ import annotations

from tests.edubadges_fake.faults import Fault, FaultPlan, InjectedFault
from tests.edubadges_fake.server import TOKEN_PATH, FakeEdubadges, RequestRecord, Seed
from tests.edubadges_fake.state import FakeState

__all__ = [
    "TOKEN_PATH",
    "FakeEdubadges",
    "FakeState",
    "Fault",
    "FaultPlan",
    "InjectedFault",
    "RequestRecord",
    "Seed",
]

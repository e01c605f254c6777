"""A faithful fake of the edubadges endpoints mcbadge's client uses, served over loopback HTTP.

Shipped in the package so an integration can be tested against it from a wheel install
(standard library only; the project's own contract and fault tests use it too). Modules:
``state`` (what the server holds and enforces), ``faults`` (scripted or seeded-random
faults), ``server`` (the HTTP handler and :class:`FakeEdubadges`). May import only the
standard library: it stands beside the client, not on it.

Example::

    with FakeEdubadges() as fake:
        seed = fake.seed_defaults()
        client = EdubadgesClient(base_url=fake.base_url, token=seed.token)
        fake.faults.script(Fault.drop(when="after"), method="POST", path="/directaward/create")

Run it standalone (for the example program or manual poking)::

    python -m mcbadge.edubadges.testing --ready-file /tmp/fake.json
"""

from __future__ import annotations

from mcbadge.edubadges.testing.faults import Fault, FaultPlan, InjectedFault
from mcbadge.edubadges.testing.server import TOKEN_PATH, FakeEdubadges, RequestRecord, Seed
from mcbadge.edubadges.testing.state import FakeState

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

"""The demo: the short tour of mcbadge, offline.

Run it with ``mcbadge demo`` (or ``make demo``): generate an issuer key, issue the
three-learner sample cohort (``examples/cohort.csv``, shipped in the package as
``mcbadge/data/cohort.csv``), verify every credential, and bake one into an SVG certificate --
then unbake and verify that too -- and offer the first learner's credential to a wallet
(OpenID4VCI offer URI and QR code).
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from mcbadge.microcredential import (
    Institution,
    Learner,
    LearningOutcome,
    Microcredential,
    QualityAssurance,
    Result,
    Unit,
)

__all__ = ["run", "sample_cohort", "sample_microcredential"]


def sample_microcredential() -> Microcredential:
    """The sample: hbo, 5 EC, NLQF 6, three learning outcomes, grade 8.5.

    Example:
        >>> sample_microcredential().ects
        Decimal('5')
    """
    return Microcredential(
        learner=Learner(
            name="Jan Jansen",
            email="jan.jansen@student.hs-voorbeeld.nl",
            student_number="1234567",
        ),
        institution=Institution(
            name="Hogeschool Voorbeeld",
            url="https://www.hs-voorbeeld.nl",
            brin="99XX",
            locality="Utrecht",
        ),
        unit=Unit(
            name="Data Privacy in de Zorg",
            code="DPZ-01",
            description=(
                "Een microcredential over het **veilig en rechtmatig** verwerken van "
                "gezondheidsgegevens in zorginstellingen."
            ),
            programme_code="34479",
            programme_code_type="ext:CROHO",
            language="nl",
            image="https://www.hs-voorbeeld.nl/badges/data-privacy-in-de-zorg.png",
        ),
        nlqf=6,
        ects=5,
        learning_outcomes=[
            LearningOutcome(text="Past de AVG en de WGBO toe op de verwerking van zorgdata."),
            LearningOutcome(text="Voert een DPIA uit voor een zorgtoepassing."),
            LearningOutcome(text="Adviseert over pseudonimisering en toegangsbeheer."),
        ],
        result=Result(grade="8.5"),
        assessment="testing",
        participation="online",
        supervision="onsite with identity verification",
        quality_assurance=QualityAssurance(
            name="Kwaliteitsborging pilot microcredentials hoger onderwijs",
            url="https://www.versnellingsplan.nl/pilot-microcredentials/",
            description="Het kwaliteitskader van de pilot microcredentials (NVAO-geaccrediteerde "
            "instelling).",
        ),
    )


@contextlib.contextmanager
def sample_cohort() -> Iterator[tuple[Path, Path]]:
    """The sample cohort's files: ``(cohort.csv, cohort.unit.toml)``, as paths.

    The same three learners and unit as ``examples/cohort.csv`` and
    ``examples/cohort.unit.toml``, shipped as package data so that ``mcbadge demo`` works
    wherever mcbadge is installed.

    Example:
        >>> from mcbadge.batch import load_cohort
        >>> with sample_cohort() as (rows, unit):
        ...     len(load_cohort(rows, unit=unit).rows)
        3
    """
    data = resources.files("mcbadge").joinpath("data")
    with (
        resources.as_file(data.joinpath("cohort.csv")) as rows,
        resources.as_file(data.joinpath("cohort.unit.toml")) as unit,
    ):
        yield Path(rows), Path(unit)


def _fresh_folder(folder: Path) -> None:
    """Empty a folder the demo made before (it holds a batch journal); refuse anything else."""
    from mcbadge.batch import JOURNAL_NAME
    from mcbadge.errors import InvalidInputError

    if not folder.exists():
        return
    if (folder / JOURNAL_NAME).is_file() or not any(folder.iterdir()):
        shutil.rmtree(folder)
        return
    raise InvalidInputError(
        f"{folder} exists and was not made by the demo; choose another --out folder",
        code="output_exists",
        path=str(folder),
    )


def run(out_dir: Path, *, stream: TextIO) -> dict[str, Any]:
    """The tour: keygen, issue a cohort, check, verify, bake a certificate -- offline.

    Steps: generate an Ed25519 issuer key (``issuer.pem``; its ``did:key`` is the issuer);
    issue the sample cohort with :func:`mcbadge.batch.issue_batch` into ``credentials/``
    (one Data Integrity ``eddsa-rdfc-2022`` credential per learner); check the first against
    the pinned OB3 JSON Schema (when the schema is in the local cache; otherwise the step says
    it was skipped and how to seed the cache) and JSON-LD safe mode; verify every credential;
    sign the first learner's credential also as VC-JWT (``jan-jansen.jwt``); render that
    learner's certificate with the credential baked in (``certificate.svg``), then unbake and
    verify it; last, offer row 1 to a wallet over OpenID4VCI: the offer is kept in a
    fresh store (``wallet-data/``), its URI printed and its QR code written
    (``offer-jan-jansen.png`` / ``.svg``), with the ``mcbadge serve`` command that redeems it.
    Running it again starts over with a new key.

    Args:
        out_dir: The output folder (created if missing).
        stream: Where the tour is told.

    Returns:
        ``{"issuer": did, "credentials": [paths], "certificate": path, "batch": summary,
        "signed": the first credential, "jwt": it as VC-JWT, "offer": {"uri", "expires",
        "png", "svg"}}``.

    Raises:
        McBadgeError: a step failed (it should not: the demo is tested), or ``out_dir``
            holds a ``credentials`` folder the demo did not make (``output_exists``).

    Example:
        >>> import io, tempfile
        >>> run(Path(tempfile.mkdtemp()), stream=io.StringIO())["issuer"][:12]  # doctest: +SKIP
        'did:key:z6Mk'
    """
    from mcbadge.batch import issue_batch, load_cohort, write_atomic
    from mcbadge.errors import DocumentLoaderError
    from mcbadge.issue import issue
    from mcbadge.jsonld.strict import check_strict
    from mcbadge.keys import KeyPair
    from mcbadge.render import render_and_bake
    from mcbadge.report import format_report
    from mcbadge.schema import validate_schema
    from mcbadge.verify import verify

    def say(text: str = "") -> None:
        print(text, file=stream)

    out_dir.mkdir(parents=True, exist_ok=True)
    credentials_dir = out_dir / "credentials"
    _fresh_folder(credentials_dir)

    key = KeyPair.generate("Ed25519")
    key_path = out_dir / "issuer.pem"
    write_atomic(key_path, key.to_pem(), mode=0o600)
    say(f"✔ generated an Ed25519 issuer key      → {key_path}")
    say(f"  issuer: {key.did_key}")

    with sample_cohort() as (rows_path, unit_path):
        cohort = load_cohort(rows_path, unit=unit_path)
    result = issue_batch(cohort, key, out_dir=credentials_dir, handle_signals=False)
    if not result.ok:  # pragma: no cover - the sample cohort is valid
        raise AssertionError(f"the demo cohort did not issue: {result.to_dict()['errors']}")
    say(
        f"✔ issued the cohort: {len(result.issued)} of {result.rows} learners "
        f"(examples/cohort.csv) → {credentials_dir}"
    )
    paths = [credentials_dir / row.file for row in result.issued]
    for row in result.issued:
        say(f"    row {row.row}: {row.file}")

    first: dict[str, Any] = json.loads(paths[0].read_text(encoding="utf-8"))
    try:
        validate_schema(first)
        say("✔ valid against the OB3 AchievementCredential JSON Schema (pinned)")
    except DocumentLoaderError as exc:
        say(f"- OB3 JSON Schema check skipped: {exc.message}")
    check_strict(first)
    say("✔ strict JSON-LD: every term defined, no relative IRIs")

    verified = [verify(path.read_bytes(), trusted_issuers=[key.did_key]) for path in paths]
    say(f"✔ verified {len(paths)} of {len(paths)} (eddsa-rdfc-2022): proof, issuer, dates")

    token = issue({k: v for k, v in first.items() if k != "proof"}, key, format="jwt")
    jwt_path = out_dir / "jan-jansen.jwt"
    write_atomic(jwt_path, (token + "\n").encode("ascii"))
    verified_jwt = verify(token, trusted_issuers=[key.did_key])
    say(f"✔ signed row 1 also as VC-JWT (EdDSA) and verified it → {jwt_path}")
    for title, outcome in (("Data Integrity", verified[0]), ("VC-JWT", verified_jwt)):
        say()
        say(f"Verification report of row 1 ({title}):")
        say(format_report(outcome.report))
    say()

    certificate = render_and_bake(first, lang="nl")
    certificate_path = out_dir / "certificate.svg"
    write_atomic(certificate_path, certificate.encode("utf-8"))
    verify(certificate.encode("utf-8"), trusted_issuers=[key.did_key])
    say(f"✔ baked row 1 into a certificate, unbaked and verified it → {certificate_path}")
    say()
    say(f"try: mcbadge verify {certificate_path}")
    say()
    offer = _wallet_offer(out_dir, key, first, say)
    return {
        "issuer": key.did_key,
        "credentials": [str(path) for path in paths],
        "certificate": str(certificate_path),
        "batch": result.to_dict(),
        "signed": first,
        "jwt": token,
        "offer": offer,
    }


DEMO_PUBLIC_URL = "http://127.0.0.1:8000"
"""The public URL the demo's offer names (loopback: a wallet on this machine)."""


def _wallet_offer(out_dir: Path, key: Any, signed: dict[str, Any], say: Any) -> dict[str, Any]:
    """Offer row 1 to a wallet (OpenID4VCI): the offer goes into a fresh store, offline."""
    from mcbadge.batch import write_atomic
    from mcbadge.oid4vci import issue_offer
    from mcbadge.store import open_store

    data_dir = out_dir / "wallet-data"
    if data_dir.is_dir() and all(p.name.startswith("mcbadge.sqlite3") for p in data_dir.iterdir()):
        shutil.rmtree(data_dir)  # the demo's own store from an earlier run (another key)
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    with open_store(data_dir=data_dir) as store:
        offer = issue_offer(unsigned, store=store, credential_issuer=DEMO_PUBLIC_URL, key=key)
    png, svg = out_dir / "offer-jan-jansen.png", out_dir / "offer-jan-jansen.svg"
    # the QR code holds the pre-authorized code, a bearer secret until redeemed: owner-only
    write_atomic(png, offer.qr_png(), mode=0o600)
    write_atomic(svg, offer.qr_svg().encode("utf-8"), mode=0o600)
    say(
        "✔ made a wallet offer for row 1 (OpenID4VCI, pre-authorized code; expires "
        f"{offer.expires}) → {data_dir}"
    )
    say(f"  QR code: {png} / {svg}")
    say(f"  offer URI: {offer.uri}")
    say("  serve it, then scan the QR code with a wallet on this machine:")
    say(
        f"    mcbadge serve --key {out_dir / 'issuer.pem'} --data-dir {data_dir} "
        f"--public-url {DEMO_PUBLIC_URL}"
    )
    say("  (a phone needs an HTTPS public URL: see docs/wallets.md)")
    return {"uri": offer.uri, "expires": offer.expires, "png": str(png), "svg": str(svg)}

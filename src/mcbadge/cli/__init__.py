"""The ``mcbadge`` command line: :func:`main` and one module per command group.

* :mod:`~mcbadge.cli.main` — the parser, :func:`main` and the dispatch;
* :mod:`~mcbadge.cli.common` — what the commands share: exit codes, the parser class,
  reading keys and credentials, writing outputs;
* one module per group: :mod:`~mcbadge.cli.demo`, :mod:`~mcbadge.cli.cache`,
  :mod:`~mcbadge.cli.verifying` (``verify``), :mod:`~mcbadge.cli.keys` (``keygen``,
  ``did-web``), :mod:`~mcbadge.cli.issuing` (``issue``), :mod:`~mcbadge.cli.status`,
  :mod:`~mcbadge.cli.images` (``bake``, ``unbake``, ``render``), :mod:`~mcbadge.cli.serve`.

The top layer: it may import everything in mcbadge; nothing in mcbadge imports it. Command
modules import the library inside their ``run_*`` functions, so ``mcbadge --help`` stays fast.

Example:
    >>> from mcbadge.cli import main
    >>> main(["keygen", "--out", "issuer.pem"])  # doctest: +SKIP
    did:key:z6Mk...
    0
"""

from __future__ import annotations

from mcbadge.cli.main import main

__all__ = ["main"]

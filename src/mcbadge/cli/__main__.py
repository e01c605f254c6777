"""`python -m mcbadge.cli`: the command line."""

from mcbadge.cli import main

raise SystemExit(main())

"""`python -m mcbadge.service`: runs the service."""

from mcbadge.service import main_serve

raise SystemExit(main_serve())

"""The official W3C conformance suites, run against ``mcbadge serve`` (see harness.py)."""

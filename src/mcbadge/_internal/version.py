"""The package version, importable by every layer (the root package re-exports it)."""

__all__ = ["VERSION"]

VERSION = "0.1.0"

"""What the ``mcbadge`` commands share: exit codes, the parser class, flags, reading keys
and credentials, writing outputs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NoReturn

from mcbadge._internal.jsontext import INPUT_CODES, JsonTextError, loads_strict
from mcbadge.errors import InvalidInputError, KeyFormatError

if TYPE_CHECKING:
    from mcbadge.keys import KeyPair, PublicKey


EXIT_OK: Final = 0
EXIT_CHECK_FAILED: Final = 1
EXIT_INTERRUPTED: Final = 130


class CommandParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage errors read ``mcbadge: error [usage]: ...`` (exit 2).

    Example:
        >>> CommandParser(prog="mcbadge").parse_args(["--nope"])  # doctest: +SKIP
        mcbadge: error [usage]: unrecognized arguments: --nope
    """

    def error(self, message: str) -> NoReturn:
        """Print the usage and the message in mcbadge's error format; exit with status 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"mcbadge: error [usage]: {message} (see '{self.prog} --help')\n")


def json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="machine-readable output (JSON on stdout; errors as JSON on stderr)",
    )


def password_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-env",
        metavar="VAR",
        help="read the key file's password from environment variable VAR",
    )


def add_command(sub: Any, name: str, *, help: str, description: str, epilog: str) -> Any:  # noqa: A002
    parser = sub.add_parser(
        name,
        help=help,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    json_flag(parser)
    return parser


# --------------------------------------------------------------------------- helpers


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def read_password(var: str | None) -> str | None:
    if var is None:
        return None
    value = os.environ.get(var)
    if not value:
        raise InvalidInputError(
            f"--password-env {var}: the environment variable {var} is not set or empty",
            code="password_env_unset",
        )
    return value


def read_bytes(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read the {what} {path}: {exc.strerror or exc}",
            code="input_unreadable",
            path=str(path),
        ) from exc


def load_key(path: Path, *, password_env: str | None = None) -> KeyPair:
    """Read a private key file: PEM (PKCS#8, PKCS#1, SEC1; encrypted or not) or a private JWK.

    Raises:
        InvalidInputError: the file cannot be read, or the password variable is unset.
        KeyFormatError: not a private key, or a wrong or missing password.

    Example:
        >>> load_key(Path("issuer.pem")).key_type  # doctest: +SKIP
        'Ed25519'
    """
    from mcbadge.keys import KeyPair

    data = read_bytes(path, "key file")
    password = read_password(password_env)
    if data.lstrip().startswith(b"{"):
        try:
            jwk = loads_strict(data)
        except JsonTextError as exc:
            raise KeyFormatError(f"{path}: not a JWK (invalid JSON: {exc.reason})") from exc
        return KeyPair.from_jwk(jwk)
    try:
        return KeyPair.from_pem(data, password)
    except KeyFormatError as exc:
        hint = "" if password_env else " (an encrypted key needs --password-env VAR)"
        raise KeyFormatError(f"{path}: {exc.message}{hint}", code=exc.code) from exc


def load_public_key(path: Path, password_env: str | None) -> KeyPair | PublicKey:
    from mcbadge.keys import PublicKey

    data = read_bytes(path, "key file")
    if b"PUBLIC KEY" in data:
        try:
            return PublicKey.from_pem(data)
        except KeyFormatError as exc:
            raise KeyFormatError(f"{path}: {exc.message}", code=exc.code) from exc
    return load_key(path, password_env=password_env)


def write_output(path: Path, data: bytes, *, mode: int = 0o644, overwrite: bool = True) -> None:
    from mcbadge.batch import write_atomic

    try:
        if path.parent != Path():
            path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, mode=mode, overwrite=overwrite)
    except FileExistsError as exc:
        raise InvalidInputError(
            f"{path} exists; choose another name (or --force where offered)",
            code="output_exists",
            path=str(path),
        ) from exc
    except OSError as exc:
        raise InvalidInputError(
            f"cannot write {path}: {exc.strerror or exc}", code="output_unwritable", path=str(path)
        ) from exc


def read_credential(path: Path) -> dict[str, Any] | str:
    """A credential from a file: JSON, a compact JWS, or a baked PNG/SVG."""
    from mcbadge.bake import unbake

    data = read_bytes(path, "credential")
    head = data.lstrip()[:9]
    if data.startswith(b"\x89PNG") or head.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE")):
        return unbake(data)
    try:
        text = data.decode("utf-8-sig").strip()
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"{path} is not a credential (not UTF-8 text, PNG or SVG)", code="input_unrecognized"
        ) from exc
    if text.startswith("{"):
        try:
            doc = loads_strict(text)
        except JsonTextError as exc:
            raise InvalidInputError(
                f"{path} is not valid JSON: {exc.reason}",
                code=INPUT_CODES.get(exc.kind, "input_not_json"),
            ) from exc
        if not isinstance(doc, dict):
            raise InvalidInputError(f"{path} is not a JSON object", code="input_not_object")
        return doc
    if text.count(".") == 2 and " " not in text:
        return text
    raise InvalidInputError(
        f"{path} is not a credential (JSON, compact JWS, PNG or SVG)", code="input_unrecognized"
    )


def credential_document(credential: dict[str, Any] | str) -> Mapping[str, Any]:
    if isinstance(credential, dict):
        return credential
    from mcbadge.proofs.jwt import parse_credential_jwt

    return parse_credential_jwt(credential).credential

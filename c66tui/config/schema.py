"""The schema checks of the configuration files: typed reads that name the bad key.

:class:`Checker` reads one value of a parsed TOML document as the type it must be, or
raises a :class:`~c66tui.config.errors.ConfigError` naming the file and the dotted key
(``profiles.prod.api_url``). :func:`check_api_url` says why a URL cannot be an API base.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from c66tui.config.errors import ConfigError
from c66tui.text import sanitize

_TYPE_NAMES = (
    (bool, "true/false"),
    (int, "a number"),
    (float, "a decimal number"),
    (str, "text"),
    (list, "a list"),
    (dict, "a table"),
)
"""How a message names the TOML type of a value (``bool`` before ``int``: it is one)."""


def type_name(value: Any) -> str:
    """The TOML type of ``value`` in words (TOML's other values are dates and times)."""
    return next((name for kind, name in _TYPE_NAMES if isinstance(value, kind)), "a date/time")


def safe_key(key: str) -> str:
    """A key from the file as it may be shown: control characters made visible, cut at 80."""
    key = sanitize(key)
    return key if len(key) <= 80 else key[:77] + "..."


class Checker:
    """Raises schema errors that name the file and the dotted key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> ConfigError:
        key = safe_key(key)
        return ConfigError(f"{self.path}: '{key}' {problem}", path=self.path, key=key)

    def wrong(self, key: str, value: Any, wanted: str) -> ConfigError:
        return self.fail(key, f"must be {wanted}, not {type_name(value)}")

    def table(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.wrong(key, value, "a table")
        return value

    def text(self, value: Any, key: str, *, empty: bool = False) -> str:
        if not isinstance(value, str):
            raise self.wrong(key, value, "text")
        if not empty and not value.strip():
            raise self.fail(key, "must not be empty")
        return value

    def flag(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.wrong(key, value, "true or false")
        return value

    def integer(self, value: Any, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.wrong(key, value, "a whole number")
        return value

    def text_list(self, value: Any, key: str) -> list[str]:
        if not isinstance(value, list):
            raise self.wrong(key, value, "a list of text")
        for index, item in enumerate(value):
            self.text(item, f"{key}[{index}]")
        return list(value)


def check_api_url(value: str) -> str | None:
    """Why ``value`` is not a usable API base URL, or ``None`` when it is."""
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in value):
        return "must not contain spaces or control characters"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return "is not a valid URL"
    if parts.scheme not in ("https", "http"):
        return "must start with https:// (or http:// for a local server)"
    if not parts.hostname:
        return "must include a host name"
    if parts.username or parts.password:
        return "must not contain a user name or password"
    if parts.query or parts.fragment:
        return "must not contain a query or fragment"
    return None

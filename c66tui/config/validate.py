"""Checks for values typed by the user (the settings screen, the command line).

Each ``validate_*`` function returns the parsed value or raises ``ValueError`` with a plain
sentence that can be shown under the input as is.
"""

from __future__ import annotations

import re
from typing import Any

from c66tui.config.model import PROFILE_NAME, check_api_url

REFRESH_RANGE = (5, 3600)
"""Refresh intervals the settings screen accepts."""

_TRUE = {"on", "yes", "true", "1", "y"}
_FALSE = {"off", "no", "false", "0", "n"}
_KEY = re.compile(r"[a-z0-9_]+(\+[a-z0-9_]+)*")
_LABELS = {
    "mouse": "Mouse support",
    "low_bandwidth": "Low-bandwidth mode",
    "ascii_only": "ASCII-only mode",
}


def validate_flag(raw_text: str, label: str = "This setting") -> bool:
    """``on/off``, ``yes/no``, ``true/false``, ``1/0``."""
    text = str(raw_text).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{label} must be on or off")


def validate_refresh_seconds(raw_text: str) -> int:
    """A whole number of seconds in :data:`REFRESH_RANGE`."""
    low, high = REFRESH_RANGE
    message = f"Refresh interval must be a whole number of seconds between {low} and {high}"
    text = str(raw_text).strip().removesuffix("s").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise ValueError(message)
    value = int(text)
    if not low <= value <= high:
        raise ValueError(message)
    return value


def validate_theme(raw_text: str) -> str:
    """A theme name (whether it exists is up to the UI)."""
    text = str(raw_text).strip()
    if not text or len(text) > 64 or not text.isprintable():
        raise ValueError("Theme must be a theme name such as c66-dark")
    return text


def validate_keys(raw_text: str) -> str:
    """Key names for a binding: ``ctrl+d`` or several separated by commas (``f5,ctrl+r``)."""
    parts = [part.strip().lower() for part in str(raw_text).split(",")]
    if not parts or not all(part and _KEY.fullmatch(part) for part in parts):
        raise ValueError("Keys must be key names such as ctrl+d or f5, separated by commas")
    return ",".join(parts)


def validate_favourites(raw_text: str) -> list[str]:
    """Stack uids separated by commas or spaces."""
    items = [item for item in re.split(r"[\s,]+", str(raw_text)) if item]
    for item in items:
        if not item.isprintable() or len(item) > 128:
            raise ValueError("Favourites must be stack ids separated by commas")
    return items


def validate_api_url(raw_text: str) -> str:
    """An API base URL such as ``https://app.cloud66.com/api/2``."""
    text = str(raw_text).strip()
    problem = check_api_url(text)
    if problem:
        raise ValueError(f"The API URL {problem}")
    return text.rstrip("/")


def validate_profile_name(raw_text: str) -> str:
    """A profile name: letters, digits, ``.``, ``_`` or ``-``, at most 64 characters."""
    text = str(raw_text).strip()
    if not PROFILE_NAME.fullmatch(text):
        raise ValueError(
            "Profile names use letters, digits, '.', '_' or '-' (at most 64 characters)"
        )
    return text


def validate_preference(name: str, raw_text: str) -> Any:
    """Parse the text typed for preference ``name`` (``keymap.<binding id>`` for keys)."""
    if name == "refresh_seconds":
        return validate_refresh_seconds(raw_text)
    if name in _LABELS:
        return validate_flag(raw_text, _LABELS[name])
    if name == "theme":
        return validate_theme(raw_text)
    if name == "favourites":
        return validate_favourites(raw_text)
    if name == "keymap" or name.startswith("keymap."):
        return validate_keys(raw_text)
    if name in ("default_profile", "profile"):
        return validate_profile_name(raw_text)
    if name == "api_url":
        return validate_api_url(raw_text)
    raise ValueError(f"Unknown setting: {name}")

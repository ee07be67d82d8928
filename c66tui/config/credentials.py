"""``credentials.toml``: per profile, the ``token`` and the OAuth ``client_secret``.

The file is written with mode 0600 by :class:`~c66tui.config.store.ConfigStore`; here it
is only validated (:func:`credentials_from_toml`) and turned back into a document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c66tui.config.schema import Checker


@dataclass
class CredentialsFile:
    """Parsed ``credentials.toml``: per profile, ``token`` and ``client_secret``."""

    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


_SECRET_KEYS = ("token", "client_secret")


def credentials_from_toml(doc: dict[str, Any], path: Path) -> CredentialsFile:
    """Validate a parsed ``credentials.toml``."""
    check = Checker(path)
    result = CredentialsFile()
    profiles = check.table(doc.get("profiles", {}), "profiles")
    for name, raw in profiles.items():
        base = f"profiles.{name}"
        table = check.table(raw, base)
        for key in _SECRET_KEYS:
            if key in table:
                value = table[key]
                if not isinstance(value, str):
                    raise check.wrong(f"{base}.{key}", value, "text")
                if not value.strip():
                    raise check.fail(f"{base}.{key}", "must not be empty")
                if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
                    raise check.fail(f"{base}.{key}", "contains control characters")
        result.profiles[name] = dict(table)
    result.extra = {k: v for k, v in doc.items() if k != "profiles"}
    return result


def credentials_to_toml(creds: CredentialsFile) -> dict[str, Any]:
    """The document written to ``credentials.toml``."""
    doc: dict[str, Any] = dict(creds.extra)
    doc["profiles"] = {name: dict(t) for name, t in creds.profiles.items() if t}
    return doc

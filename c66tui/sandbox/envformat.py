"""Environment variables as one downloadable text: ``dotenv`` or ``json``.

``GET /api/3/stacks/{uid}/environments?environments_format=dotenv&requested_types=user``
is how the Go library (``StackEnvVarsString`` in ``stack.go``) and ``cx env-vars
download`` fetch a stack's variables as a file; the answer is
``{"response": {"contents": "KEY=value\\n..."}}``. The toolbelt reference
(cloud-66-internal/help.cloud66.com, ``env-vars download``) names the formats
(``dotenv``, ``json``) and the kinds (``all``, ``user``, ``generated``, ``locked``).

Neither source shows the exact quoting, so a value is written bare when it is made of
plain characters and in double quotes otherwise, with ``\\``, ``"``, ``$`` and line
breaks escaped, so every value can be read back byte for byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from c66tui.sandbox.envelope import bad_request
from c66tui.sandbox.records import EnvRec

FORMATS = ("dotenv", "json")
KINDS = ("all", "user", "generated", "locked")
_BARE = re.compile(r"^[A-Za-z0-9_./:@%+,=-]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "$": "\\$", "\n": "\\n", "\r": "\\r"}


def parse_kinds(raw: str | None) -> set[str]:
    """The ``requested_types`` list (comma separated; absent or empty means ``all``)."""
    kinds = {part.strip().lower() for part in (raw or "").split(",") if part.strip()}
    unknown = sorted(kinds - set(KINDS))
    if unknown:
        raise bad_request(
            "Invalid parameter: requested_types", f"unknown {', '.join(unknown)}; use {KINDS}"
        )
    return kinds or {"all"}


def wanted(rec: EnvRec, kinds: set[str]) -> bool:
    """Whether a variable is of one of the requested kinds."""
    if "all" in kinds:
        return True
    return (
        ("user" in kinds and not rec.is_generated)
        or ("generated" in kinds and rec.is_generated)
        or ("locked" in kinds and rec.readonly)
    )


def as_text(value: Any) -> str:
    """A variable's value as the text a process would see."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def dotenv_value(text: str) -> str:
    """``text`` bare when plain, else double-quoted with escapes."""
    if _BARE.match(text):
        return text
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in text) + '"'


def render(records: Iterable[EnvRec], fmt: str, kinds: set[str]) -> str:
    """The ``contents`` text for ``fmt`` (``dotenv`` or ``json``)."""
    chosen = [rec for rec in records if wanted(rec, kinds)]
    if fmt == "json":
        return json.dumps({rec.key: rec.value for rec in chosen}, ensure_ascii=False, indent=2)
    return "".join(f"{rec.key}={dotenv_value(as_text(rec.value))}\n" for rec in chosen)

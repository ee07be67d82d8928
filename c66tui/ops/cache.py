"""Last-known stack lists, so the app shows something at once (and offline).

One JSON file per profile, ``stacks-<profile>.json`` in the cache directory, written
atomically (0600), holding the API URL the stacks came from: a list saved from one API
(a sandbox) is never shown for another (the real host). Loading never fails: anything
wrong, or another API URL, gives ``([], None)``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from c66tui.config import atomic, paths
from c66tui.config.atomic import read_regular
from c66tui.config.paths import make_private_dirs

CACHE_VERSION = 1
MAX_CACHE_BYTES = 32 * 1024 * 1024
_SAFE = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def _file_name(profile: str) -> str:
    profile = str(profile)
    if _SAFE.fullmatch(profile) and not profile.startswith("."):
        return f"stacks-{profile}.json"
    digest = hashlib.sha256(profile.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"stacks-{digest}.json"


def encode(doc: dict[str, Any], stacks_raw: list[dict[str, Any]]) -> bytearray:
    """``doc`` as UTF-8 JSON with ``stacks_raw`` added as its ``stacks`` list.

    One stack at a time: the JSON encoder holds the interpreter lock for a whole call, so
    5,000 stacks in one call held the app's event loop for about 0.1 s even from a
    thread; between two small calls the loop gets its turn. The text is built in one
    buffer (one copy of the file in memory, not three).
    """
    head = json.dumps(doc, ensure_ascii=False, default=str).encode("utf-8")
    data = bytearray(head[:-1])
    data += b', "stacks": ['
    for index, stack in enumerate(stacks_raw):
        if index:
            data += b", "
        data += json.dumps(stack, ensure_ascii=False, default=str).encode("utf-8")
    data += b"]}"
    return data


class StackCache:
    """Stack lists (raw API dicts) per profile under ``directory``."""

    def __init__(self, directory: Path | str | None = None) -> None:
        if directory is None:
            directory = paths.cache_dir()
        self.directory = Path(directory)

    def path_for(self, profile: str) -> Path:
        """Where the stacks of ``profile`` are kept."""
        return self.directory / _file_name(profile)

    def load(self, profile: str, api_url: str = "") -> tuple[list[dict[str, Any]], datetime | None]:
        """The cached stacks of ``profile`` from ``api_url`` and when they were saved, or
        ``([], None)``."""
        try:
            path = self.path_for(profile)
            if path.stat().st_size > MAX_CACHE_BYTES:
                return [], None
            doc = json.loads(read_regular(path, 64 * 1024 * 1024))
            if not isinstance(doc, dict) or doc.get("version") != CACHE_VERSION:
                return [], None
            if doc.get("profile") != profile or doc.get("api_url", "") != api_url:
                return [], None
            stacks = doc.get("stacks")
            if not isinstance(stacks, list) or not all(isinstance(s, dict) for s in stacks):
                return [], None
            saved_at = datetime.fromisoformat(doc["saved_at"])
            if saved_at.tzinfo is None:
                saved_at = saved_at.replace(tzinfo=UTC)
            return stacks, saved_at
        except Exception:  # noqa: BLE001 - a cache is disposable: any problem = no cache
            return [], None

    def save(self, profile: str, stacks_raw: list[dict[str, Any]], api_url: str = "") -> None:
        """Replace the cached stacks of ``profile``, read from ``api_url`` (atomically;
        errors are swallowed)."""
        doc = {
            "version": CACHE_VERSION,
            "profile": profile,
            "api_url": api_url,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with contextlib.suppress(OSError, TypeError, ValueError):
            data = encode(doc, stacks_raw)
            if not self.directory.exists():
                make_private_dirs(self.directory)
            atomic.atomic_write(self.path_for(profile), data, 0o600)

    def clear(self, profile: str) -> None:
        """Forget the cached stacks of ``profile`` (e.g. on logout)."""
        with contextlib.suppress(OSError):
            self.path_for(profile).unlink()

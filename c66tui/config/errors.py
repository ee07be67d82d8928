"""The one error type of the configuration layer."""

from __future__ import annotations

from pathlib import Path


class ConfigError(Exception):
    """A config or credentials file cannot be used (or saved).

    The message is meant for the user as is: it names the file and, when known, the line,
    column and key. It never contains the file's contents.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        key: str | None = None,
        unreadable: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        self.key = key
        self.unreadable = unreadable
        """True when the file itself cannot be parsed or validated, so the only ways on
        are fixing it by hand or moving it aside (``ConfigStore.quarantine``)."""

    def __str__(self) -> str:
        return self.message


class ConfigWriteError(ConfigError):
    """Saving failed (disk full, read-only directory, ...); the old file is untouched."""

"""Reading TOML files defensively.

``tomllib`` can fail in more ways than ``TOMLDecodeError``: a plain ``ValueError`` for
integers longer than Python's digit limit, ``RecursionError`` for deeply nested arrays,
``UnicodeDecodeError`` for bytes that are not UTF-8. Every one of them becomes a
:class:`ConfigError` naming the file and, when known, the line and column. The file's
contents never appear in a message.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from c66tui.config.atomic import NotRegularFile, open_regular
from c66tui.config.errors import ConfigError
from c66tui.text import sanitize

MAX_FILE_BYTES = 1024 * 1024
"""Larger files are refused: nobody writes a megabyte of preferences by hand."""

_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_END = re.compile(r"\s*\(at end of document\)\s*$")


@dataclass
class RawFile:
    """The bytes of a file together with what ``fstat`` said about the open file."""

    data: bytes
    uid: int
    mode: int


def read_raw(path: Path) -> RawFile | None:
    """Read ``path`` (``None`` when it does not exist), checking it through the open fd."""
    try:
        fd = open_regular(path)  # never blocks: a FIFO is refused at once
    except FileNotFoundError:
        return None
    except NotRegularFile:
        raise ConfigError(f"{path} is not a regular file", path=path, unreadable=True) from None
    except OSError as exc:
        raise ConfigError(f"Cannot read {path}: {exc.strerror or exc}", path=path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"{path} is not a regular file", path=path, unreadable=True)
        chunks = []
        remaining = MAX_FILE_BYTES + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 65536))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise ConfigError(f"Cannot read {path}: {exc.strerror or exc}", path=path) from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise ConfigError(
            f"{path} is larger than {MAX_FILE_BYTES // 1024} KiB; it cannot be a c66tui file",
            path=path,
            unreadable=True,
        )
    return RawFile(data=data, uid=info.st_uid, mode=stat.S_IMODE(info.st_mode))


def _line_column(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


_KEY_PART = re.compile(r"""\s*(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*""")
_INDEX = re.compile(r"\[\d+\]")


def _key_parts(text: str, start: int = 0) -> tuple[list[str], int] | None:
    """The dotted key starting at ``text[start:]`` and the offset just after it."""
    parts: list[str] = []
    position = start
    while True:
        found = _KEY_PART.match(text, position)
        if not found or found.end() == position:
            return None
        bare, basic, literal = found.groups()
        parts.append(bare if bare is not None else basic if basic is not None else literal)
        position = found.end()
        if not text.startswith(".", position):
            return parts, position
        position += 1


def locate_key(data: bytes, dotted: str) -> int | None:
    """The line of ``data`` that sets the dotted key ``dotted`` (``a.b.c``, ``a.b[2]``).

    Table headers and ``key = value`` lines are followed; when the key itself is not
    written out (an inline table, a value left out), the line of the nearest enclosing
    table or key is given. ``None`` when nothing matches. Only for pointing at a line in
    an error message: quoted keys holding dots may match loosely.
    """
    target = _INDEX.sub("", dotted)
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    table: list[str] = []
    best: tuple[int, int] | None = None  # (length of the matching prefix, line)
    in_string = False
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        quotes = line.count('"""') + line.count("'''")
        if in_string:
            in_string = quotes % 2 == 0
            continue
        if quotes % 2:
            in_string = True
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            parsed = _key_parts(stripped.strip("[ "), 0)
            if parsed is None:
                continue
            table = parsed[0]
            path = table
        else:
            parsed = _key_parts(line)
            if parsed is None or not line[parsed[1] :].startswith("="):
                continue
            path = table + parsed[0]
        joined = ".".join(path)
        if joined == target:
            return number
        if target.startswith(joined + ".") and (best is None or len(joined) > best[0]):
            best = (len(joined), number)
    return best[1] if best else None


def parse_toml(data: bytes, path: Path, *, show_detail: bool = True) -> dict[str, Any]:
    """Parse ``data`` read from ``path`` or raise :class:`ConfigError`.

    ``show_detail=False`` keeps the parser's own wording out of the message (it can
    quote a key or a character, which must not happen for the credentials file).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _line_column(data, exc.start)
        raise ConfigError(
            f"{path} is not valid UTF-8 text (line {line}, column {column})",
            path=path,
            line=line,
            column=column,
            unreadable=True,
        ) from None
    text = text.removeprefix("\ufeff")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = column = None
        found = _POSITION.search(message)
        if found:
            line, column = int(found.group(1)), int(found.group(2))
            message = message[: found.start()]
            where = f" (line {line}, column {column})"
        elif _END.search(message):
            message = _END.sub("", message)
            where = " (at the end of the file)"
        else:
            where = ""
        detail = f": {_clean(message)}" if show_detail and message else ""
        raise ConfigError(
            f"{path} is not valid TOML{where}{detail}",
            path=path,
            line=line,
            column=column,
            unreadable=True,
        ) from None
    except RecursionError:
        raise ConfigError(
            f"{path} is not usable: values are nested too deeply", path=path, unreadable=True
        ) from None
    except ValueError:
        raise ConfigError(
            f"{path} is not usable: it contains a number too large to read",
            path=path,
            unreadable=True,
        ) from None
    except Exception as exc:  # noqa: BLE001 - a loader must never crash on bad input
        raise ConfigError(
            f"{path} could not be read as TOML ({type(exc).__name__})",
            path=path,
            unreadable=True,
        ) from None


def _clean(message: str) -> str:
    """Strip control characters from a parser message before it reaches a terminal."""
    return sanitize(message)[:200]

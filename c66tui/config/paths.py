"""Where c66tui keeps its files.

Each directory comes from platformdirs and can be moved with an environment variable:
``C66TUI_CONFIG_DIR`` (``config.toml``, ``credentials.toml``), ``C66TUI_CACHE_DIR``
(last-known stack lists) and ``C66TUI_STATE_DIR`` (action journal, crash reports).
Nothing here creates a directory; writers do that with :func:`ensure_private_dir` or
:func:`make_private_dirs`, which create every missing directory, parents included, with
mode 0700.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

APP_NAME = "c66tui"
CONFIG_FILE = "config.toml"
CREDENTIALS_FILE = "credentials.toml"
JOURNAL_FILE = "journal.jsonl"


def dir_from_env(variable: str, default: str | Path) -> Path:
    """The directory named by ``variable`` (``~`` expanded), else ``default``."""
    value = os.environ.get(variable, "").strip()
    return Path(value).expanduser() if value else Path(default)


def config_dir() -> Path:
    """Directory of ``config.toml`` and ``credentials.toml``."""
    return dir_from_env("C66TUI_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME))


def cache_dir() -> Path:
    """Directory of disposable caches (the last stack list per profile)."""
    return dir_from_env("C66TUI_CACHE_DIR", platformdirs.user_cache_dir(APP_NAME))


def state_dir() -> Path:
    """Directory of the action journal and crash reports."""
    return dir_from_env("C66TUI_STATE_DIR", platformdirs.user_state_dir(APP_NAME))


def config_file() -> Path:
    """The preferences and profiles file."""
    return config_dir() / CONFIG_FILE


def credentials_file() -> Path:
    """The tokens file (mode 0600)."""
    return config_dir() / CREDENTIALS_FILE


def journal_file() -> Path:
    """The append-only record of every write sent to Cloud 66."""
    return state_dir() / JOURNAL_FILE


def make_private_dirs(path: Path) -> None:
    """Create ``path`` and every missing parent with mode 0700 (``os.makedirs`` gives
    only the last one its mode: the parents would get the umask's, usually 0755).
    Directories that already exist are left as they are."""
    path = Path(path)
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for directory in reversed(missing):
        try:
            os.mkdir(directory, 0o700)
        except FileExistsError:
            continue  # made meanwhile by another process
        try:
            os.chmod(directory, 0o700)
        except OSError:  # pragma: no cover - e.g. filesystems without modes
            pass


def ensure_private_dir(path: Path) -> list[str]:
    """Make ``path`` a directory of mode 0700; return warnings about what could not be.

    A missing directory is created 0700. An existing one that other users can open is
    tightened to 0700 when it is c66tui's own: ours, and named for c66tui (the default
    ``~/.config/c66tui`` and the like; a directory chosen through an environment variable,
    say ``/tmp``, is never changed). Otherwise it is left alone, with a warning naming the
    fix when others can write to it. Parents that already exist, such as ``~/.config``,
    keep their modes; those created here are 0700 as well.
    """
    warnings: list[str] = []
    path = Path(path)
    if not path.exists():
        make_private_dirs(path)
        return warnings
    try:
        info = path.stat()
    except OSError:  # pragma: no cover - vanished between the checks
        return warnings
    mode = stat.S_IMODE(info.st_mode)
    if not mode & 0o077:
        return warnings
    if info.st_uid == os.geteuid() and "c66tui" in path.name.lower():
        try:
            os.chmod(path, 0o700)
            return warnings
        except OSError:
            pass
    if mode & 0o022:
        warnings.append(
            f"{path} can be written by other users (mode {mode:o}); fix it with: chmod 700 {path}"
        )
    return warnings

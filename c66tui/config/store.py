"""``ConfigStore``: load and save ``config.toml`` and ``credentials.toml`` safely.

* Every read-modify-write holds an ``flock`` on the sidecar ``.lock`` file and re-reads
  the file under the lock, so two running instances never lose each other's changes.
* Writes are atomic (see :mod:`c66tui.config.atomic`); the directory is 0700 and the
  credentials file 0600 from the moment it exists.
* A file that fails to parse or validate is never overwritten: the error names the file,
  line, column and key. :meth:`ConfigStore.quarantine` moves it aside on request, and a
  new login (:meth:`ConfigStore.set_token`) moves an unusable credentials file aside by
  itself (kept, mode 0600, its new name in :attr:`ConfigStore.moved_aside`).
* The credentials file is checked through the open descriptor: another owner means it is
  refused, group/other permission bits give a warning and are removed on the next save.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import tomli_w

from c66tui.config import paths
from c66tui.config.atomic import (
    LockTimeout,
    atomic_write,
    file_lock,
    fsync_dir,
    remove_stale_temps,
    resolve_target,
)
from c66tui.config.errors import ConfigError, ConfigWriteError
from c66tui.config.model import (
    AppConfig,
    CredentialsFile,
    check_config,
    config_from_toml,
    config_to_toml,
    credentials_from_toml,
    credentials_to_toml,
)
from c66tui.config.tomlio import locate_key, parse_toml, read_raw
from c66tui.secret import Secret

FILE_MODE = 0o600
LOCK_FILE = ".lock"


@contextlib.contextmanager
def _naming_the_line(data: bytes) -> Iterator[None]:
    """Add the line of the offending key to a schema error raised inside the block."""
    try:
        yield
    except ConfigError as error:
        if error.key is None or error.line is not None or error.path is None:
            raise
        try:
            line = locate_key(data, error.key)
        except Exception:  # noqa: BLE001 - a better message must never cost the error
            raise error from None
        prefix = f"{error.path}: "
        if line is None or not error.message.startswith(prefix):
            raise
        message = f"{error.path}, line {line}: {error.message[len(prefix) :]}"
        raise ConfigError(
            message,
            path=error.path,
            line=line,
            key=error.key,
            unreadable=error.unreadable,
        ) from None


def _reveal(value: Secret | str) -> str:
    return value if isinstance(value, str) else Secret(value).reveal()


def _check_secret_text(value: str, what: str) -> str:
    if not value or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise ValueError(f"The {what} must be non-empty text without spaces")
    return value


class ConfigStore:
    """Reads and writes the two files in one config directory.

    ``warnings`` collects notes the UI should show once (loose permissions, an empty
    credentials file, a shared directory); nothing here prints.
    """

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory) if directory is not None else paths.config_dir()
        self.config_path = self.directory / paths.CONFIG_FILE
        self.credentials_path = self.directory / paths.CREDENTIALS_FILE
        self.lock_path = self.directory / LOCK_FILE
        self.warnings: list[str] = []
        self._mutex = threading.RLock()
        self._depth = 0
        self._held: contextlib.ExitStack | None = None
        self._permission_warning: str | None = None
        self.moved_aside: Path | None = None
        """Where the last :meth:`set_token` moved an unusable credentials file."""

    # -- locking ----------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cross-process lock (re-entrant within this store)."""
        with self._mutex:
            if self._depth == 0:
                self._prepare_dir()
                stack = contextlib.ExitStack()
                try:
                    stack.enter_context(file_lock(self.lock_path))
                except LockTimeout as exc:
                    raise ConfigWriteError(
                        f"{self.directory} is locked by another c66tui for too long; try again",
                        path=self.lock_path,
                    ) from exc
                except OSError as exc:
                    raise ConfigWriteError(
                        f"Cannot lock {self.lock_path}: {exc.strerror or exc}",
                        path=self.lock_path,
                    ) from None
                self._held = stack
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._held is not None:
                    held, self._held = self._held, None
                    held.close()

    def _prepare_dir(self) -> None:
        try:
            for warning in paths.ensure_private_dir(self.directory):
                self._warn(warning)
        except OSError as exc:
            raise ConfigWriteError(
                f"Cannot create {self.directory}: {exc.strerror or exc}", path=self.directory
            ) from None

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    # -- config.toml ------------------------------------------------------------------

    def load(self) -> AppConfig:
        """Read ``config.toml`` (defaults when it does not exist)."""
        return self._load_with_bytes()[0]

    def _load_with_bytes(self) -> tuple[AppConfig, bytes | None]:
        """:meth:`load`, and the file's bytes as read (``None`` when there is no file)."""
        raw = read_raw(self.config_path)
        if raw is None or not raw.data.strip():
            return AppConfig(), raw.data if raw is not None else None
        doc = parse_toml(raw.data, self.config_path)
        with _naming_the_line(raw.data):
            return config_from_toml(doc, self.config_path), raw.data

    def update(self, fn: Callable[[AppConfig], None]) -> AppConfig:
        """Lock, re-read, let ``fn`` change the config in place, save; return the result.

        When ``fn`` raises, nothing is written; when the file already holds the result
        byte for byte, nothing is written either (a synced write saved).
        """
        with self.locked():
            config, current = self._load_with_bytes()
            fn(config)
            self.save(config, unless=current)
            return config

    def save(self, config: AppConfig, *, unless: bytes | None = None) -> None:
        """Write ``config`` as is (prefer :meth:`update`, which merges concurrent edits);
        nothing is written when the file's bytes would be ``unless`` already."""
        with self.locked():
            try:
                check_config(config, self.config_path)
                data = tomli_w.dumps(config_to_toml(config)).encode("utf-8")
            except ConfigError as exc:
                raise ConfigWriteError(f"Refusing to save: {exc}", path=self.config_path) from None
            except (TypeError, ValueError) as exc:
                raise ConfigWriteError(
                    f"Refusing to save {self.config_path}: {exc}", path=self.config_path
                ) from None
            if unless is not None and data == unless:
                return
            self._backup_config_once()
            self._write(self.config_path, data)

    def _backup_config_once(self) -> None:
        """Keep the user's hand-written file (with its comments) before the first rewrite."""
        backup = self.directory / (paths.CONFIG_FILE + ".bak")
        if backup.exists() or backup.is_symlink():
            return
        raw = read_raw(self.config_path)
        if raw is None or not raw.data.strip():
            return
        with contextlib.suppress(OSError):
            atomic_write(backup, raw.data, FILE_MODE)

    # -- credentials.toml -------------------------------------------------------------

    def _read_credentials(self) -> CredentialsFile:
        path = self.credentials_path
        raw = read_raw(path)
        if raw is None:
            return CredentialsFile()
        if raw.uid != os.geteuid():
            raise ConfigError(
                f"{path} belongs to another user (uid {raw.uid}, you are uid {os.geteuid()}); "
                "c66tui will not use or overwrite it. If it was created with sudo, fix it with: "
                f"sudo chown {os.geteuid()} {path}",
                path=path,
            )
        if raw.mode & 0o077:
            self._permission_warning = (
                f"{path} can be read by other users (mode {raw.mode:o}); c66tui will set it "
                f"to 600 on the next save, or run: chmod 600 {path}"
            )
            self._warn(self._permission_warning)
        if not raw.data:
            self._warn(f"{path} is empty (perhaps cut short by a crash): not logged in")
            return CredentialsFile()
        doc = parse_toml(raw.data, path, show_detail=False)
        with _naming_the_line(raw.data):
            return credentials_from_toml(doc, path)

    def _write_credentials(self, creds: CredentialsFile) -> None:
        data = tomli_w.dumps(credentials_to_toml(creds)).encode("utf-8")
        self._write(self.credentials_path, data)
        if self._permission_warning in self.warnings:
            self.warnings.remove(self._permission_warning)
        self._permission_warning = None

    def get_token(self, profile: str) -> Secret | None:
        """The saved token of ``profile``, or ``None`` when not logged in."""
        value = self._read_credentials().profiles.get(profile, {}).get("token")
        return Secret(value) if value else None

    def get_client_secret(self, profile: str) -> Secret | None:
        """The saved OAuth client secret of ``profile``, if any."""
        value = self._read_credentials().profiles.get(profile, {}).get("client_secret")
        return Secret(value) if value else None

    def set_token(
        self, profile: str, token: Secret | str, client_secret: Secret | str | None = None
    ) -> None:
        """Save ``token`` (and optionally the client secret) for ``profile`` right away."""
        token_text = _check_secret_text(_reveal(token), "token")
        secret_text = None
        if client_secret is not None:
            secret_text = _check_secret_text(_reveal(client_secret), "client secret")
        with self.locked():
            try:
                creds = self._read_credentials()
            except ConfigWriteError:
                raise
            except ConfigError as error:
                self.moved_aside = self._move_broken_credentials(error)
                creds = CredentialsFile()
            entry = creds.profiles.setdefault(profile, {})
            before = dict(entry)
            entry["token"] = token_text
            if secret_text is not None:
                entry["client_secret"] = secret_text
            if entry == before and self._permission_warning is None:
                return  # saved already, in a file only its owner reads: no write
            self._write_credentials(creds)

    def _move_broken_credentials(self, error: ConfigError) -> Path:
        """Rename an unusable credentials file (or the link pointing at someone else's
        file: the link moves, the file it names is not touched) to
        ``credentials.toml.corrupt-<UTC time>``, mode 0600; return the new path."""
        path = self.credentials_path
        destination = _aside_name(path)
        try:
            os.rename(path, destination)
        except OSError as exc:
            raise ConfigWriteError(
                f"{error} It could not be moved aside either ({exc.strerror or exc}), so "
                "the new login was not saved.",
                path=path,
            ) from None
        if not destination.is_symlink():
            with contextlib.suppress(OSError):
                os.chmod(destination, FILE_MODE)
        fsync_dir(path.parent)
        self.warnings = [w for w in self.warnings if str(path) not in w]
        self._warn(
            f"The credentials file could not be used ({error}); it was moved to "
            f"{destination} (kept, mode 600) and a new {path.name} was written."
        )
        return destination

    def delete_token(self, profile: str) -> bool:
        """Forget the token of ``profile``; ``True`` when there was one."""
        with self.locked():
            creds = self._read_credentials()
            entry = creds.profiles.get(profile)
            if not entry or "token" not in entry:
                return False
            del entry["token"]
            if not entry:
                del creds.profiles[profile]
            self._write_credentials(creds)
            return True

    def delete_profile(self, name: str) -> None:
        """Remove a profile and its saved credentials (not the active one)."""
        with self.locked():

            def remove(config: AppConfig) -> None:
                if name == config.active_profile:
                    raise ValueError("The active profile cannot be deleted; switch first")
                config.profiles.pop(name, None)

            self.update(remove)
            creds = self._read_credentials()
            if creds.profiles.pop(name, None) is not None:
                self._write_credentials(creds)

    def check_credentials(self) -> None:
        """Read the credentials file once, raising :class:`ConfigError` if it is unusable."""
        self._read_credentials()

    # -- shared -----------------------------------------------------------------------

    def _write(self, path: Path, data: bytes) -> None:
        target = resolve_target(path)
        try:
            owner = os.stat(target).st_uid
        except FileNotFoundError:
            owner = None
        except OSError as exc:
            raise ConfigWriteError(
                f"Cannot save {path}: {exc.strerror or exc}", path=path
            ) from None
        if owner is not None and owner != os.geteuid():
            raise ConfigWriteError(
                f"{path} belongs to another user (uid {owner}); refusing to overwrite it",
                path=path,
            )
        if os.geteuid() == 0:
            with contextlib.suppress(OSError):
                dir_owner = os.stat(target.parent).st_uid
                if dir_owner != 0:
                    raise ConfigWriteError(
                        f"Running as root: refusing to write into {target.parent}, which "
                        f"belongs to uid {dir_owner} (the file would become root's)",
                        path=path,
                    )
        remove_stale_temps(path)
        try:
            atomic_write(path, data, FILE_MODE)
        except OSError as exc:
            raise ConfigWriteError(
                f"Could not save {path}: {exc.strerror or exc}. The previous file is unchanged.",
                path=path,
            ) from None

    def quarantine(self, which: Literal["config", "credentials"]) -> Path | None:
        """Rename an unreadable file to ``<name>.corrupt-<UTC time>``; return the new path.

        Used by the "log in again" offer: the old file is kept (mode unchanged), never
        discarded. Returns ``None`` when there is no such file.
        """
        if which not in ("config", "credentials"):
            raise ValueError("which must be 'config' or 'credentials'")
        path = self.config_path if which == "config" else self.credentials_path
        with self.locked():
            target = resolve_target(path)
            if not target.exists():
                return None
            destination = _aside_name(target)
            try:
                os.rename(target, destination)
            except OSError as exc:
                raise ConfigWriteError(
                    f"Could not move {target} aside: {exc.strerror or exc}", path=target
                ) from None
            fsync_dir(target.parent)
            self.warnings = [w for w in self.warnings if str(path) not in w]
            return destination


def _aside_name(path: Path) -> Path:
    """A free ``<name>.corrupt-<UTC time>[-N]`` next to ``path``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    destination = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while destination.exists() or destination.is_symlink():
        destination = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    return destination

"""``c66tui login`` without the full-screen app: the OAuth login on standard streams.

The authorize URL goes to standard output on a line of its own (a script can pick it
up), the instructions to standard error. The code, or the address the browser was sent
to, is read from standard input (hidden when it is a terminal). With a loopback callback
c66tui also listens on it, and whichever arrives first wins. The code is exchanged once
with this attempt's ``state``, PKCE verifier and callback, the token is checked with one
GET and saved (0600) with the profile; an unusable credentials file is moved aside and
named. Nothing here prompts beyond that one line, and every outcome is an exit code:
0 logged in, 1 the login failed, 2 a usage problem (no client id or secret, no code).
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import os
import sys
import threading
from typing import Any, TextIO

import httpx

try:
    import termios
except ImportError:  # pragma: no cover - not a POSIX terminal
    termios = None  # type: ignore[assignment]

from c66tui.api.errors import Cloud66Error
from c66tui.api.redaction import redact
from c66tui.api.secret import Secret
from c66tui.api.token_check import check_token
from c66tui.config.errors import ConfigError
from c66tui.config.redirect import (
    ENV_REDIRECT_URI,
    OOB_REDIRECT,
    check_redirect_uri,
    redirect_uri_of,
)
from c66tui.ops.login_flow import LoginAttempt, instructions, over_ssh
from c66tui.ops.loopback import ListenerUnavailable, LoopbackListener
from c66tui.ops.services import auth_base_for

OK, FAILED, USAGE = 0, 1, 2
MAX_LINE = 4096
WAIT_SECONDS = 900.0
"""How long a login waits for the browser's redirect when standard input is closed."""


def _read_line(stdin: TextIO) -> str:
    if stdin.isatty():
        return getpass.getpass("Paste the code or the address (hidden): ")
    return stdin.readline(MAX_LINE)


def _read_in_background(stdin: TextIO) -> asyncio.Future[str]:
    """One line of ``stdin`` on a daemon thread: when the listener wins, the process can
    end without waiting for a line that never comes."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str] = loop.create_future()

    def settle(value: str | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value or "")

    def read() -> None:
        try:
            value, error = _read_line(stdin), None
        except (OSError, EOFError, ValueError) as exc:
            value, error = "", exc
        with contextlib.suppress(RuntimeError):  # the loop is already closed
            loop.call_soon_threadsafe(settle, value, error)

    threading.Thread(target=read, name="c66tui-login-stdin", daemon=True).start()
    return future


@contextlib.contextmanager
def _terminal_restored(stdin: TextIO):
    """Put the terminal's echo back if a hidden prompt is left unanswered."""
    saved = None
    if termios is not None and stdin.isatty():
        with contextlib.suppress(termios.error, OSError, ValueError):
            saved = termios.tcgetattr(stdin.fileno())
    try:
        yield
    finally:
        if saved is not None:
            with contextlib.suppress(termios.error, OSError, ValueError):
                termios.tcsetattr(stdin.fileno(), termios.TCSADRAIN, saved)


async def _first_code(
    attempt: LoginAttempt, listener: LoopbackListener | None, stdin: TextIO, err: TextIO
) -> str | None:
    """The code from standard input or the listener, whichever comes first."""
    reader = _read_in_background(stdin)
    waiting: set[asyncio.Future[Any]] = {reader}
    heard = asyncio.ensure_future(listener.wait()) if listener is not None else None
    if heard is not None:
        waiting.add(heard)
    try:
        while waiting:
            done, waiting = await asyncio.wait(
                waiting, timeout=WAIT_SECONDS, return_when=asyncio.FIRST_COMPLETED
            )
            if not done:
                print("error: no code arrived in time; start the login again.", file=err)
                return None
            if heard in done:
                if stdin.isatty():
                    print("(received from the browser)", file=err)
                return heard.result().code
            text = reader.result()
            if text.strip():
                return attempt.code_from_paste(text)
            if heard is None:
                print("error: no code on standard input.", file=err)
                return None
            print("Standard input is closed; waiting for the browser's redirect…", file=err)
    finally:
        if heard is not None:
            heard.cancel()
    return None


async def _login(store: Any, profile: Any, client: tuple, streams: tuple, transport: Any) -> int:
    stdin, out, err = streams
    client_id, secret, redirect_uri = client
    attempt = LoginAttempt(auth_base_for(profile), client_id, tuple(profile.scopes), redirect_uri)
    listener = None
    road = instructions(attempt.road)
    if attempt.road == "loopback":
        candidate = LoopbackListener(attempt.redirect_uri, attempt.state)
        try:
            await candidate.start()
            listener = candidate
            road = instructions("loopback", listening=True, ssh=over_ssh(), port=candidate.port)
        except ListenerUnavailable as error:
            road = instructions("loopback", problem=str(error))
    print("Open this address in a browser and approve:", file=err)
    print(attempt.url, file=out, flush=True)
    print(road.rstrip(":") + ".", file=err, flush=True)
    try:
        with _terminal_restored(stdin):
            code = await _first_code(attempt, listener, stdin, err)
    except ValueError as error:
        print(f"error: {error}", file=err)
        return FAILED
    finally:
        if listener is not None:
            await listener.close()
    if code is None:
        return USAGE
    try:
        token = await attempt.exchange(secret, code, transport=transport)
        account = await check_token(
            profile.api_url,
            token,
            account_id=profile.account_id,
            scopes=tuple(profile.scopes),
            transport=transport,
        )
    except Cloud66Error as error:
        print(f"error: {redact(str(error))} Nothing was saved.", file=err)
        return FAILED
    return _save(store, profile, client_id, secret, attempt, token, account, out, err)


def _save(store, profile, client_id, secret, attempt, token, account, out, err) -> int:
    """Save the token and the profile (values from the environment stay out of the files)."""
    env = os.environ
    keep_redirect = env.get(ENV_REDIRECT_URI, "").strip() != attempt.redirect_uri
    keep_client_id = env.get("C66TUI_CLIENT_ID", "").strip() != client_id

    def apply(config: Any) -> None:
        current = config.profiles.setdefault(profile.name, profile)
        if keep_client_id:
            current.client_id = client_id
        if keep_redirect:
            oob = attempt.redirect_uri == OOB_REDIRECT
            current.redirect_uri = "" if oob else attempt.redirect_uri

    try:
        store.set_token(profile.name, token, client_secret=None if _env_secret() else secret)
        store.update(apply)
    except (ConfigError, OSError, ValueError) as error:
        print(
            f"error: logged in, but the token could not be saved: {redact(str(error))}. "
            "It is lost when this command exits; fix the problem and log in again.",
            file=err,
        )
        return FAILED
    moved = getattr(store, "moved_aside", None)
    if moved is not None:
        print(f"Note: the unreadable credentials file was moved to {moved} (kept).", file=err)
    print(f"Logged in to profile '{profile.name}' ({identity_words(account)}).", file=out)
    print(f"Token saved to {store.credentials_path}", file=out)
    return OK


def identity_words(account: str) -> str:
    """What a login says about whose account the token works in (``account of OWNER``)."""
    return account or "account unknown: the token has no 'users' scope"


def _env_secret() -> str:
    return os.environ.get("C66TUI_CLIENT_SECRET", "").strip()


def run_code_login(
    store: Any,
    profile: Any,
    *,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    """Log ``profile`` in with the OAuth code (see the module docstring); an exit code."""
    streams = (stdin or sys.stdin, out or sys.stdout, err or sys.stderr)
    client_id = os.environ.get("C66TUI_CLIENT_ID", "").strip() or profile.client_id
    env_redirect = os.environ.get(ENV_REDIRECT_URI, "").strip()
    if env_redirect:
        problem = check_redirect_uri(env_redirect)
        if problem:
            print(f"error: {ENV_REDIRECT_URI} {problem}", file=streams[2])
            return USAGE
    redirect_uri = env_redirect or redirect_uri_of(profile)
    secret_text = _env_secret()
    if not secret_text:
        with contextlib.suppress(ConfigError):
            saved = store.get_client_secret(profile.name)
            secret_text = saved.reveal() if saved else ""
    if not client_id or not secret_text:
        print(
            "error: the OAuth application's client id and secret are needed: set "
            "C66TUI_CLIENT_ID and C66TUI_CLIENT_SECRET (or log in once in the app), or "
            "save a personal access token with: c66tui login --with-token < file",
            file=streams[2],
        )
        return USAGE
    client = (client_id, Secret(secret_text), redirect_uri)
    return asyncio.run(_login(store, profile, client, streams, transport))

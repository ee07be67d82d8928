"""``c66tui login`` and ``c66tui logout`` on standard streams.

``login`` runs the OAuth code login (:mod:`c66tui.ops.login_cli`); ``login --with-token``
reads a personal access token from standard input (never from the command line), checks
it with one GET and saves it, naming the account it works in the way the app's identity
bar does (:func:`c66tui.api.token_check.check_token`). ``logout`` removes the saved token.
The parser (in :mod:`c66tui.cli`) imports this module only when one of them runs.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys

from c66tui.api.errors import AuthenticationError, Cloud66Error
from c66tui.api.token_check import check_token
from c66tui.commands.exit_codes import FAILED, OK, USAGE
from c66tui.commands.output import error
from c66tui.config import ConfigStore, Profile
from c66tui.config.settings import ENV_API_URL, ENV_PROFILE, ENV_TOKEN, checked_url
from c66tui.config.validate import validate_profile_name
from c66tui.crash_report import redact_secrets
from c66tui.ops.cache import StackCache
from c66tui.ops.login_cli import identity_words, run_code_login
from c66tui.secret import Secret

MAX_TOKEN_LENGTH = 4096


def _env(name: str) -> str | None:
    return os.environ.get(name, "").strip() or None


def _profile_for_login(args: argparse.Namespace) -> tuple[ConfigStore, Profile, bool]:
    """The profile to log in to; it need not exist yet (it is created on success)."""
    store = ConfigStore()
    config = store.load()
    name = getattr(args, "profile", None) or _env(ENV_PROFILE) or config.active_profile
    name = validate_profile_name(name)
    exists = name in config.profiles
    profile = config.profiles[name] if exists else Profile(name)
    flag_url = getattr(args, "api_url", None)
    if flag_url:
        profile.api_url = checked_url(flag_url, "--api-url")
    elif _env(ENV_API_URL):
        profile.api_url = checked_url(_env(ENV_API_URL), ENV_API_URL)
    return store, profile, exists


def _read_token() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Paste the token (hidden): ")
    return sys.stdin.read(MAX_TOKEN_LENGTH + 1)


def _pasted_token() -> Secret | None:
    """The token on standard input, or ``None`` (said why) when it is not one token."""
    text = _read_token().strip()
    if not text or len(text) > MAX_TOKEN_LENGTH:
        error("no token on standard input (expected one token, nothing else)")
        return None
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        error("the token must be a single word without spaces or control characters")
        return None
    return Secret(text)


def cmd_login(args: argparse.Namespace) -> int:
    """``login``: the OAuth code login; ``login --with-token``: a personal token."""
    try:
        store, profile, exists = _profile_for_login(args)
    except ValueError as exc:
        error(str(exc))
        return USAGE
    if not args.with_token:
        return run_code_login(store, profile)
    token = _pasted_token()
    if token is None:
        return USAGE
    try:
        account = asyncio.run(check_token(profile.api_url, token, account_id=profile.account_id))
    except AuthenticationError:
        error(f"{profile.api_url} rejected this token (401). Nothing was saved.")
        return FAILED
    except Cloud66Error as exc:
        error(
            f"could not check the token: {redact_secrets(str(exc), [token.reveal()])}. "
            "Nothing was saved."
        )
        return FAILED
    _save_profile(store, profile, exists)
    store.set_token(profile.name, token)
    print(f"Logged in to profile '{profile.name}' ({identity_words(account)}).")
    print(f"Token saved to {store.credentials_path}")
    if _env(ENV_TOKEN):
        print(
            f"Note: {ENV_TOKEN} is set and takes precedence over the saved token; "
            "unset it to use the saved one.",
            file=sys.stderr,
        )
    return OK


def _save_profile(store: ConfigStore, profile: Profile, exists: bool) -> None:
    """Create the profile, or point it at the API that accepted the token."""
    if not exists:
        store.update(lambda config: config.profiles.__setitem__(profile.name, profile))
        return
    before = store.load().profiles[profile.name].api_url
    if before == profile.api_url:
        return

    def point(config) -> None:
        config.profiles[profile.name].api_url = profile.api_url

    store.update(point)  # the token belongs to the API that accepted it
    print(
        f"Note: profile '{profile.name}' now uses {profile.api_url} (was {before}), "
        "the API this token was checked against.",
        file=sys.stderr,
    )


def cmd_logout(args: argparse.Namespace) -> int:
    """Remove the saved token (refusing while CLOUD66_TOKEN is set)."""
    if _env(ENV_TOKEN):
        error(
            f"the token in use comes from the {ENV_TOKEN} environment variable, which "
            f"always wins; logging out cannot change it. Unset it (unset {ENV_TOKEN}) and "
            "run c66tui logout again to remove the saved token too. Nothing was removed."
        )
        return FAILED
    store = ConfigStore()
    config = store.load()
    try:
        name = validate_profile_name(
            getattr(args, "profile", None) or _env(ENV_PROFILE) or config.active_profile
        )
    except ValueError as exc:
        error(str(exc))
        return USAGE
    if store.delete_token(name):
        StackCache().clear(name)
        print(
            f"Removed the saved token of profile '{name}' from this machine. It stays valid "
            "on Cloud 66 until you revoke it under Account > Apps."
        )
    else:
        print(f"Profile '{name}' has no saved token.")
    return OK

"""Checking a token before it is saved: one cheap GET, and the account it works in.

:func:`check_token` is what the command line and the app use: it reads ``/accounts``
(the ``users`` scope) and names the account as the identity bar does (pinned, else
``current_account``, else the first: ``account of OWNER``), or confirms with
``/stacks?page=1`` that a token without that scope still works. :func:`validate_token`
is the older check that answers the first ``/users`` e-mail, which the API does not
document to be the caller's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

import httpx

from c66tui.secret import Secret

from .client import Cloud66Client
from .client_accounts import account_label, choose_account
from .errors import MissingScopeError


async def check_token(
    api_url: str,
    token: Secret | str,
    *,
    account_id: int | None = None,
    scopes: Iterable[str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> str:
    """Check a token before saving it; return the account it works in (``account of
    OWNER``), or ``""`` when the token cannot see the accounts.

    With ``scopes`` known and no ``users`` among them it makes the one GET the reference
    recommends, ``/stacks?page=1``. Otherwise one GET of ``/accounts?page=1``; if that is
    refused for lack of scope the token was still accepted, and one GET of
    ``/stacks?page=1`` confirms it works with ``public`` alone. Raises
    :class:`~c66tui.api.errors.AuthenticationError` for a bad token and the usual errors
    for network problems.
    """
    async with Cloud66Client(
        api_url, token, account_id=account_id, transport=transport, retries=1, deadline=20.0
    ) as api:

        async def identity() -> str:
            items = await api._read_page("list_accounts", 1)
            return account_label(choose_account(items, account_id))

        return await _identify(api, scopes, identity)


async def _identify(
    api: Cloud66Client, scopes: Iterable[str] | None, identity: Callable[[], Awaitable[str]]
) -> str:
    """``identity()`` when the token may have the ``users`` scope; else (or when it is
    refused for lack of that scope) one GET of the first stack page proves the token."""
    if scopes is None or "users" in set(scopes):
        try:
            return await identity()
        except MissingScopeError:
            pass
    await api._read("list_stacks", {"page": 1})
    return ""


async def validate_token(
    api_url: str,
    token: Secret | str,
    *,
    scopes: Iterable[str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> str:
    """Check a token before saving it; return the user's email, or ``""``.

    With ``scopes`` known (an OAuth login) and no ``users`` among them, it makes the one
    GET the reference recommends, ``/stacks?page=1``, and returns ``""`` (the email needs
    the ``users`` scope). Otherwise it makes one GET of ``/users?page=1`` (the email is
    there with the ``users`` scope); if that is refused for lack of scope, the token was
    still accepted, and one GET of ``/stacks?page=1`` confirms it works with ``public``
    alone (a personal token's scopes are not known in advance). Raises
    :class:`AuthenticationError` for a bad token and the usual errors for network problems.
    """
    async with Cloud66Client(api_url, token, transport=transport, retries=1, deadline=20.0) as api:

        async def first_email() -> str:
            body = await api._read("list_users", {"page": 1})
            items = body.get("response") if isinstance(body, dict) else None
            for item in items if isinstance(items, list) else ():
                if isinstance(item, dict) and isinstance(item.get("email"), str):
                    return item["email"]
            return ""

        return await _identify(api, scopes, first_email)

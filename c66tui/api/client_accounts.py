"""The accounts and users requests of :class:`~c66tui.api.client.Cloud66Client`, and the
one rule for which account a token works in (the identity the app and the commands show).
"""

from __future__ import annotations

from .client_base import ClientBase
from .errors import MissingScopeError
from .models import Account, User


def choose_account(items: list[dict], account_id: int | None = None) -> Account | None:
    """The account a token works in, out of one page of ``/accounts``: the pinned one
    (``account_id``, sent as ``X-Account``), else the one marked ``current_account`` (the
    Go library's flag), else the first; ``None`` when there is none."""
    accounts = [item for item in items if isinstance(item, dict)]
    if account_id is not None:
        for item in accounts:
            account = Account.from_api(item)
            if account.id == account_id:
                return account
    for item in accounts:
        if item.get("current_account") is True:
            return Account.from_api(item)
    return Account.from_api(accounts[0]) if accounts else None


def account_label(account: Account | None) -> str:
    """``account of <owner>`` (or ``account <id>``); ``""`` when nothing is known.

    Nothing in the API documents who the caller is (``GET /users`` lists every user the
    caller can see, in no documented order), so no user's e-mail is guessed."""
    if account is None:
        return ""
    if account.owner:
        return f"account of {account.owner}"
    return f"account {account.id}" if account.id is not None else ""


class AccountsMixin(ClientBase):
    """Accounts, users and the identity label."""

    async def list_accounts(self) -> list[Account]:
        return [Account.from_api(i) for i in await self._read_all("list_accounts")]

    async def get_account(self) -> Account | None:
        """The account the token works in (:func:`choose_account`); ``None`` when the
        token lacks the ``users`` scope."""
        try:
            items = await self._read_page("list_accounts", 1)
        except MissingScopeError:
            return None
        return choose_account(items, self.account_id)

    async def list_users(self) -> list[User]:
        return [User.from_api(i) for i in await self._read_all("list_users")]

    async def account_label(self) -> str:
        """Which account the token works in, for the identity bar (:func:`account_label`),
        ``""`` without the ``users`` scope."""
        return account_label(await self.get_account())

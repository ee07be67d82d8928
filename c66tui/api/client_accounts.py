"""The accounts and users requests of :class:`~c66tui.api.client.Cloud66Client`."""

from __future__ import annotations

from .client_base import ClientBase
from .errors import MissingScopeError
from .models import Account, User


class AccountsMixin(ClientBase):
    """Accounts, users and the identity label."""

    async def list_accounts(self) -> list[Account]:
        return [Account.from_api(i) for i in await self._read_all("list_accounts")]

    async def get_account(self) -> Account | None:
        """The pinned account (``X-Account``), else the one marked ``current_account``,
        else the first of ``/accounts``; ``None`` when the token lacks the ``users`` scope."""
        try:
            items = await self._read_page("list_accounts", 1)
        except MissingScopeError:
            return None
        if self.account_id is not None:
            for item in items:
                account = Account.from_api(item)
                if account.id == self.account_id:
                    return account
        for item in items:  # the Go library's Account has a current_account flag
            if item.get("current_account") is True:
                return Account.from_api(item)
        return Account.from_api(items[0]) if items else None

    async def list_users(self) -> list[User]:
        return [User.from_api(i) for i in await self._read_all("list_users")]

    async def account_label(self) -> str:
        """Which account the token works in, for the identity bar: ``account of
        <owner>`` (or ``account <id>``), ``""`` without the ``users`` scope.

        Nothing in the API documents who the caller is (``GET /users`` lists every user
        the caller can see, in no documented order), so no user's e-mail is guessed."""
        account = await self.get_account()
        if account is None:
            return ""
        if account.owner:
            return f"account of {account.owner}"
        return f"account {account.id}" if account.id is not None else ""

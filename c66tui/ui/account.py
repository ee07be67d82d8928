"""Account flows of the app: log in, log out, switch or add a profile, and log in again
when the token stops working (a 401 on a read).

:class:`AccountMixin` is mixed into :class:`c66tui.ui.app.C66App`; it uses the app's
``services`` and its screen stack.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import TYPE_CHECKING

from rich.text import Text

from c66tui.config.errors import ConfigError
from c66tui.config.settings import load_settings
from c66tui.text import sanitize
from c66tui.ui.modes import MODE_FACTORIES, login_screen

if TYPE_CHECKING:
    from c66tui.api.secret import Secret
    from c66tui.config.model import Profile
    from c66tui.ops.services import AppServices

ENV_TOKEN = "CLOUD66_TOKEN"


class AccountMixin:
    """Logging in and out, profiles, re-login after a 401 (mixed into the App)."""

    services: AppServices
    _reauth: asyncio.Future[bool] | None = None

    def show_login(self) -> None:
        """Open the login screen for the active profile (the palette's "Log in")."""
        if self._refuse_for_env_token("log in"):
            return
        if self.services.api is None:
            self.run_worker(self.switch_mode("login"), group="modes")
        else:
            self.push_screen(login_screen(self.services.profile, cancellable=True))

    # -- logging in and out -------------------------------------------------------

    async def use_login(
        self, profile: Profile, token: Secret, account: str, scopes: tuple[str, ...]
    ) -> None:
        """Start using a token that was just validated and saved."""
        services = self.services
        services.use_profile(profile, token, "file")
        await services.connect(token)
        services.scopes = set(scopes)
        services.identity.set_account(account)
        self.clear_rate()
        if not account:
            self.load_identity()

    def finish_login(
        self, profile: Profile, token: Secret, account: str, scopes: tuple[str, ...]
    ) -> None:
        """Called by the login screen: switch to the new login and open the stacks."""

        async def finish() -> None:
            await self.use_login(profile, token, account, scopes)
            await self._restart_modes("stacks")
            self.notify(f"Logged in to profile {sanitize(profile.name)}.", markup=False, timeout=4)

        # An app worker: the login screen that asked is removed while this runs.
        self.run_worker(finish(), group="login-finish", exclusive=True)

    async def _restart_modes(self, target: str) -> None:
        """Rebuild every main screen (nothing of the previous login lingers), then show
        ``target``."""
        if self.current_mode != "connecting":
            await self.switch_mode("connecting")
        for mode, factory in MODE_FACTORIES.items():
            await self.remove_mode(mode)
            self.add_mode(mode, factory)
        self.focused_environment = ""
        await self.switch_mode(target)

    def _refuse_for_env_token(self, what: str) -> bool:
        """Explain that ``CLOUD66_TOKEN`` wins, when it is in use."""
        if self.services.token_source != "env":
            return False
        self.notify(
            f"The token comes from the {ENV_TOKEN} environment variable, which wins over "
            f"saved logins, so c66tui cannot {what} here. Unset {ENV_TOKEN} and restart.",
            title=f"{ENV_TOKEN} is set",
            severity="warning",
            markup=False,
            timeout=12,
        )
        return True

    def action_logout(self) -> None:
        """Remove the saved token of the active profile, after confirmation."""
        services = self.services
        if self._refuse_for_env_token("log out"):
            return
        if services.token is None:
            self.notify("Not logged in.", markup=False)
            return
        heading = Text("Profile ")
        heading.append(sanitize(services.profile_name), style="bold")
        heading.append(f" @ {sanitize(services.api_host)}")
        lines: list[Text | str] = [
            heading,
            "The saved token is removed from this machine.",
            "To revoke it at Cloud 66 as well: Account → Apps.",
        ]
        # Deferred for start-up time: loaded when a log-out is first asked for.
        from c66tui.ui.dialogs.confirm import ConfirmDialog

        self.push_screen(ConfirmDialog("Log out?", lines, confirm_label="Log out"), self._logout)

    def _logout(self, confirmed: bool | None) -> None:
        if not confirmed:
            return

        async def logout() -> None:
            name = self.services.profile_name
            try:
                await asyncio.to_thread(self.services.store.delete_token, name)
            except Exception as error:  # noqa: BLE001 - report, keep running
                self.notify(
                    f"Could not remove the token: {sanitize(str(error))}",
                    severity="error",
                    markup=False,
                )
                return
            await self.services.disconnect()
            self.clear_rate()
            await self._restart_modes("login")
            self.notify(
                f"Logged out of profile {sanitize(name)}; the token was removed from this machine.",
                markup=False,
            )

        self.run_worker(logout(), group="logout", exclusive=True)

    async def _reauthenticate(self) -> bool:
        """A read got a 401: ask for one new login over the current screen."""
        if self.services.token_source == "env":
            self.notify(
                f"Cloud 66 refused the token in {ENV_TOKEN} (401). Put a valid token in "
                f"{ENV_TOKEN} and restart; c66tui cannot replace it.",
                title="Token refused",
                severity="error",
                markup=False,
                timeout=15,
            )
            return False
        if self._reauth is not None:
            return await asyncio.shield(self._reauth)
        # Deferred for start-up time: the login form loads the OAuth client (httpx).
        from c66tui.ui.dialogs.login_dialog import LoginDialog

        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._reauth = future

        def answered(ok: bool | None) -> None:
            if not future.done():
                future.set_result(bool(ok))

        try:
            self.push_screen(LoginDialog(self.services.profile), answered)
            return await future
        finally:
            self._reauth = None

    # -- profiles -----------------------------------------------------------------

    def switch_profile(self, name: str) -> None:
        """Use another profile from ``config.toml`` (log in first if it has no token)."""
        self.run_worker(self._switch_profile(name), group="profile", exclusive=True)

    async def _switch_profile(self, name: str) -> None:
        store = self.services.store
        try:
            settings = await asyncio.to_thread(
                load_settings, SimpleNamespace(profile=name), store=store
            )
        except ConfigError as error:
            self.notify(sanitize(str(error)), severity="error", markup=False)
            return
        if not settings.token:
            self.push_screen(
                login_screen(
                    settings.profile,
                    cancellable=True,
                    reason=f"Profile {name} has no saved login yet.",
                )
            )
            return
        self.services.use_profile(settings.profile, settings.token, settings.token_source)
        await self.services.connect(settings.token)
        self.services.scopes = self.services.starting_scopes()
        self.clear_rate()
        try:
            self.services.config = await asyncio.to_thread(
                store.update, lambda config: setattr(config, "active_profile", name)
            )
        except Exception as error:  # noqa: BLE001 - the switch works; only the default didn't
            self.notify(
                f"Switched, but could not remember it: {sanitize(str(error))}",
                severity="warning",
                markup=False,
            )
        await self._restart_modes("stacks")
        self.load_identity()
        self.notify(f"Switched to profile {sanitize(name)}.", markup=False, timeout=4)

    def action_add_profile(self) -> None:
        """Ask for a name and API URL, then log in to the new profile."""
        config = self.services.config
        names = list(getattr(config, "profiles", {}) or {})
        client_id, _secret = self.services.client_credentials()
        # Deferred for start-up time: loaded when a profile is first added.
        from c66tui.ui.dialogs.profile_dialog import AddProfileDialog

        dialog = AddProfileDialog(names, api_url=self.services.api_url, client_id=client_id)
        self.push_screen(dialog, self._profile_added)

    def _profile_added(self, profile: Profile | None) -> None:
        if profile is None:
            return
        self.push_screen(login_screen(profile, cancellable=True))

"""The session context without Textual: who is logged in (one place), the API budget by one
path, the configuration kept in the settings, the login saved without the environment's
values. Reads go through a real client to the sandbox over a loopback socket."""

from __future__ import annotations

import pytest

from c66tui.api.client import Cloud66Client
from c66tui.api.errors import MissingScopeError
from c66tui.api.models import RateLimit
from c66tui.api.scopes import ALL_SCOPES
from c66tui.api.secret import Secret
from c66tui.config import ConfigStore, Profile, Settings
from c66tui.ops.deploy_state import WatchBook, watch_book_for
from c66tui.ops.identity import Identity
from c66tui.ops.services import AppServices


def make_services(tmp_path, sandbox=None, *, scopes=("public",), read_only=False, token=None):
    store = ConfigStore(tmp_path / "config")
    api_url = sandbox.api_url if sandbox is not None else "https://app.cloud66.com/api/3"

    def setup(config):
        config.profiles["default"] = Profile(name="default", api_url=api_url, scopes=scopes)
        config.profiles["other"] = Profile(name="other", api_url=api_url)
        config.active_profile = "default"

    config = store.update(setup)
    settings = Settings(
        store=store,
        config=config,
        profile=config.profiles["default"],
        token=token,
        token_source="file" if token else None,
        read_only=read_only,
    )
    return AppServices(settings=settings, api_factory=Cloud66Client)


def test_identity_is_kept_once_and_tells_who_listens(tmp_path):
    services = make_services(tmp_path, read_only=True, token=Secret("t-1"))
    seen: list[tuple[str, str]] = []
    services.identity.subscribe(lambda who: seen.append((who.profile_name, who.account_email)))

    services.account_email = "ops@example.com"  # the short name writes the one record
    assert services.identity.account_email == "ops@example.com"
    assert seen == [("default", "ops@example.com")]
    assert services.read_only and services.permission("redeploy") == "this profile is read-only"

    other = services.config.profiles["other"]
    services.use_profile(other, Secret("t-2"), "file")
    assert seen[-1] == ("other", ""), "another profile starts with no known account"
    assert not services.read_only, "--read-only holds for the start-up profile only"
    assert services.token.reveal() == "t-2" and services.profile is other


def test_scopes_start_from_the_login_and_narrow_on_a_refusal(tmp_path):
    identity = Identity(profile=Profile(name="p", scopes=("public", "redeploy")))
    identity.token_source = "file"
    identity.scopes = identity.starting_scopes()
    assert identity.permission("redeploy") is None
    identity.note_missing_scope(MissingScopeError("refused", scope="redeploy"))
    assert identity.permission("redeploy").startswith("needs the 'redeploy' scope")
    identity.token_source = "env"  # a CLOUD66_TOKEN of unknown scopes: all until refused
    assert identity.starting_scopes() == set(ALL_SCOPES)


async def test_the_api_budget_reaches_the_app_by_the_clients_callback(tmp_path, sandbox):
    token = Secret(sandbox.sandbox.mint_token(["public"], email="ops@example.com"))
    services = make_services(tmp_path, sandbox, token=token)
    budgets: list[RateLimit] = []
    await services.connect(token)
    services.on_rate_limit = budgets.append  # set after connecting: still the one path
    try:
        stacks = await services.read(lambda api: api.list_stacks())
        assert stacks
        assert budgets and budgets[-1] is services.rate_limit
        assert 0 < budgets[-1].remaining < budgets[-1].limit
        assert services.connection.offline_since is None
    finally:
        await services.disconnect()
    assert services.api is None and services.rate_limit is None
    assert services.token is None and services.account_email == ""


def test_the_configuration_lives_in_the_settings(tmp_path):
    services = make_services(tmp_path)
    fresh = services.store.update(lambda config: setattr(config.preferences, "theme", "nord"))
    services.config = fresh
    assert services.settings.config is fresh and services.preferences.theme == "nord"


def test_app_wide_write_state_is_declared(tmp_path):
    services = make_services(tmp_path)
    assert isinstance(services.deploy_watches, WatchBook)
    assert watch_book_for(services) is services.deploy_watches
    assert services.journal_checks == {} and services.redeploy_controller is None


def test_a_login_is_saved_without_the_environments_client_values(tmp_path, monkeypatch):
    monkeypatch.setenv("C66TUI_CLIENT_ID", "from-env")
    monkeypatch.setenv("C66TUI_CLIENT_SECRET", "env-secret")
    services = make_services(tmp_path)
    client_id, secret = services.client_credentials()
    assert client_id == "from-env" and secret.reveal() == "env-secret"

    profile = services.profile
    services.save_login(
        profile,
        Secret("new-token"),
        client_id=client_id,
        client_secret=secret,
        scopes=("public", "jobs"),
    )
    saved = services.store.load().profiles["default"]
    assert saved.client_id == "" and saved.scopes == ("public", "jobs")
    assert services.store.get_token("default").reveal() == "new-token"
    assert services.store.get_client_secret("default") is None
    assert services.config.profiles["default"].scopes == ("public", "jobs")


@pytest.mark.parametrize("source", ["file", "env"])
async def test_a_disconnect_forgets_the_token_wherever_it_came_from(tmp_path, source):
    services = make_services(tmp_path, token=Secret("t"))
    services.identity.token_source = source
    services.identity.set_account("ops@example.com")
    await services.disconnect()
    assert (services.token, services.token_source, services.account_email) == (None, None, "")

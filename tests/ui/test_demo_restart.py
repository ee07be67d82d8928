"""The demo keeps what a newcomer changed: theme, stack settings, environment variables
and maintenance mode are there again at the next ``c66tui --demo``; ``--fresh`` forgets."""

from __future__ import annotations

from types import SimpleNamespace

from c66tui.sandbox import seed
from c66tui.ui.demo import make_demo_app
from tests.ui.conftest import wait_for_workers
from tests.ui.notices import notices

STACK = seed.QUIET_STACK


async def settle(app, pilot) -> None:
    await pilot.pause()
    await wait_for_workers(app)
    await pilot.pause()


async def demo_state(app) -> dict:
    api = app.services.api
    stack = next(s for s in await api.list_stacks() if s.name == STACK)
    settings = {s.key: s.value for s in await api.list_stack_settings(stack.uid)}
    env = {e.key: e.value for e in await api.list_env_vars(stack.uid)}
    fresh = await api.get_stack(stack.uid)
    return {
        "theme": app.theme,
        "branch": settings.get("git.branch"),
        "env": env.get("FEATURE_FROM_DEMO"),
        "maintenance": fresh.maintenance_mode,
    }


async def test_a_restarted_demo_shows_what_was_changed(isolated_dirs):
    first = make_demo_app(SimpleNamespace(fresh=False))
    async with first.run_test(size=(100, 30)) as pilot:
        await settle(first, pilot)
        before = await demo_state(first)
        api = first.services.api
        stack = next(s for s in await api.list_stacks() if s.name == STACK)
        first.theme = "nord" if before["theme"] != "nord" else "gruvbox"
        await api.update_stack_setting(stack.uid, "git.branch", "demo-branch")
        await api.create_env_var(stack.uid, "FEATURE_FROM_DEMO", "on")
        await api.set_maintenance_mode(stack.uid, True)
        first.services.demo_sandbox.finish_all()
        changed = await demo_state(first)
        await settle(first, pilot)
    assert changed != before and changed["branch"] == "demo-branch"

    second = make_demo_app(SimpleNamespace(fresh=False))
    async with second.run_test(size=(100, 30)) as pilot:
        await settle(second, pilot)
        assert await demo_state(second) == changed

    third = make_demo_app(SimpleNamespace(fresh=True))
    async with third.run_test(size=(100, 30)) as pilot:
        await settle(third, pilot)
        assert await demo_state(third) == before
    assert not isolated_dirs["config"].exists(), "the real configuration is never touched"


async def test_a_demo_folder_others_can_write_to_is_a_start_up_warning(
    isolated_dirs, monkeypatch, tmp_path
):
    open_dir = tmp_path / "open-demo"
    open_dir.mkdir()
    open_dir.chmod(0o777)
    monkeypatch.setenv("C66TUI_DEMO_DIR", str(open_dir))
    app = make_demo_app(SimpleNamespace(fresh=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        shown = notices(app)
    assert any(f"chmod 700 {open_dir}" in message for message in shown)


def test_a_demo_started_again_rewrites_neither_its_profile_nor_its_token(isolated_dirs):
    first = make_demo_app(SimpleNamespace(fresh=False))
    store = first.services.settings.store
    files = (store.config_path, store.credentials_path)
    before = [(path.stat().st_ino, path.stat().st_mtime_ns) for path in files]
    again = make_demo_app(SimpleNamespace(fresh=False))
    assert [(path.stat().st_ino, path.stat().st_mtime_ns) for path in files] == before
    assert again.services.settings.token_source == "file"
    assert again.services.settings.config.active_profile == first.services.profile_name
    assert store.get_token(first.services.profile_name) is not None

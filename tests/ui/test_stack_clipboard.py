"""Copying a stack's name and web dashboard link from the list and the detail (OSC 52),
never anything secret."""

from __future__ import annotations

import pytest

from c66tui.api.models import Stack
from c66tui.ops.stack_clipboard import dashboard_url, web_base
from c66tui.ui.screens.help import HelpScreen
from c66tui.ui.screens.stack_detail import StackDetailScreen
from tests.ui.test_stacks_support import Recorder, put_cursor, stacks_ready, uid_of, wait_until


@pytest.mark.parametrize(
    ("api_url", "base"),
    [
        ("https://app.cloud66.com/api/2", "https://app.cloud66.com"),
        ("https://app.cloud66.com/api/2/", "https://app.cloud66.com"),
        ("http://127.0.0.1:8066/api/2", "http://127.0.0.1:8066"),
        (
            "https://ops:s3cret-token@c66.example.com:8443/proxy/api/2?token=abc",
            "https://c66.example.com:8443/proxy",
        ),
        ("http://[::1]:9000/api/2", "http://[::1]:9000"),
        ("not a url", ""),
    ],
)
def test_web_base_keeps_scheme_host_port_and_prefix_only(api_url, base):
    assert web_base(api_url) == base


def test_dashboard_url_uses_the_numeric_id_when_the_api_gives_one():
    stack = Stack(uid="8c1f0a6e2d7b4c39a5e0f1d2c3b4a596", name="shop")
    url = dashboard_url("https://app.cloud66.com/api/2", stack)
    assert url == "https://app.cloud66.com/stacks/8c1f0a6e2d7b4c39a5e0f1d2c3b4a596"
    numbered = Stack(uid="8c1f", name="shop", raw={"uid": "8c1f", "id": 47717})
    assert dashboard_url("https://app.cloud66.com/api/2", numbered).endswith("/stacks/47717")
    assert dashboard_url("not a url", stack) == ""


async def test_copy_name_and_link_from_the_list_and_the_detail(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await stacks_ready(app, pilot)
        recorder = Recorder(app)
        uid = uid_of(sandbox, "checkout-web")
        await put_cursor(pilot, screen, uid)
        link = f"{sandbox.api_url.split('/api', 1)[0]}/stacks/{uid}"

        await pilot.press("n")
        await pilot.pause()
        assert app.clipboard == "checkout-web"
        assert recorder.saw("Copied stack name: checkout-web")
        await pilot.press("l")
        await pilot.pause()
        assert app.clipboard == link
        assert recorder.saw(f"Copied dashboard link: {link}")

        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StackDetailScreen), what="detail")
        app.copy_to_clipboard("")
        await pilot.press("n")
        await pilot.pause()
        assert app.clipboard == "checkout-web"
        await pilot.press("l")
        await pilot.pause()
        assert app.clipboard == link
        token = app.services.token.reveal()
        assert token and token not in link and token not in app.clipboard


async def test_copy_keys_are_in_the_help(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await stacks_ready(app, pilot)
        for opened in (False, True):
            if opened:
                await pilot.press("enter")
                await wait_until(pilot, lambda: isinstance(app.screen, StackDetailScreen))
            await pilot.press("question_mark")
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
            rows = {(row.keys, row.description) for row in app.screen.rows}
            assert ("n", "Copy name") in rows and ("l", "Copy dashboard link") in rows
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen))

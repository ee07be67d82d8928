"""The identity bar keeps profile, account, API host and the focused environment in view
at 80 (and 60) columns, shortening labels and the middle of long values first."""

from __future__ import annotations

import time

import pytest
from rich.cells import cell_len

from c66tui.ui.ascii_filter import ascii_text
from c66tui.ui.widgets.identity_bar import (
    IdentityShown,
    elide_email,
    elide_middle,
    identity_line,
)
from tests.ui.rendering import screen_lines
from tests.ui.test_stacks_support import stacks_ready
from tests.waiting import until, until_idle

LONG_EMAIL = "first.lastname@company-name.example"
VERY_LONG_EMAIL = "firstname.middlename.lastname@company-name.example"


def test_elide_middle_and_email():
    assert elide_middle("app.cloud66.com", 20) == "app.cloud66.com"
    assert elide_middle("abcdefghij", 7) == "abc…hij"
    assert elide_email("ops@example.com", 15) == "ops@example.com"
    shortened = elide_email("first.lastname@example.com", 18)
    assert len(shortened) == 18 and shortened.endswith("@example.com")
    assert len(elide_email(LONG_EMAIL, 14)) == 14


@pytest.mark.parametrize("width", [58, 78, 118])
@pytest.mark.parametrize(
    "identity",
    [
        IdentityShown("default", "ops@example.com", "app.cloud66.com", "development", "API 1/3600"),
        IdentityShown("default", LONG_EMAIL, "app.cloud66.com", "production", "API 3597/3600"),
        IdentityShown("eu-west", LONG_EMAIL, "app.cloud66.com", "production", "API 3/3600", True),
    ],
)
def test_required_parts_always_fit(identity, width):
    line = identity_line(identity, width).plain
    assert len(line) <= width
    assert identity.profile in line and identity.host in line
    assert f"[{identity.environment.upper()}]" in line
    local, _, domain = identity.email.partition("@")
    assert local[:3] in line and (domain in line or domain[-4:] in line)
    if identity.demo:
        assert "DEMO" in line
    if width >= 118:
        assert identity.email in line and f"profile {identity.profile}" in line
        assert identity.rate in line


def test_ascii_separators_and_ellipsis():
    """ASCII-only mode draws the bar through the app's line filter, cell for cell."""
    identity = IdentityShown("default", LONG_EMAIL, "app.cloud66.com", "staging", "")
    unicode_line = identity_line(identity, 58).plain
    line = ascii_text(unicode_line)
    assert line.isascii() and " | " in line and "~" in line
    assert cell_len(line) == cell_len(unicode_line) <= 58


@pytest.mark.parametrize("email", [LONG_EMAIL, VERY_LONG_EMAIL])
async def test_bar_at_80_columns_keeps_host_and_account(app_factory, sandbox, email):
    # The bar names the token's account (by its documented owner), never a user e-mail
    # guessed from the user list.
    sandbox.sandbox.accounts[0].owner = email
    app = app_factory(email="someone.else@example.org")
    async with app.run_test(size=(80, 24)) as pilot:
        await stacks_ready(app, pilot)
        await pilot.pause()
        bar = screen_lines(app)[0]
        assert app.services.api_host in bar, bar
        assert " default │ " in bar and "[DEVELOPMENT]" in bar, bar
        assert "someone.else" not in bar, bar
        assert "@company-name.example" in bar, bar
        if email == VERY_LONG_EMAIL:
            assert "…" in bar, bar
        assert len(bar) <= 80


async def test_bar_at_120_columns_shows_everything(app_factory, sandbox):
    sandbox.sandbox.accounts[0].owner = LONG_EMAIL
    app = app_factory(email=LONG_EMAIL)
    async with app.run_test(size=(120, 30)) as pilot:
        await stacks_ready(app, pilot)
        await pilot.pause()
        bar = screen_lines(app)[0]
        label = f"account of {LONG_EMAIL}"
        for part in ("profile default", label, app.services.api_host):
            assert part in bar, bar
        assert "env [DEVELOPMENT]" in bar and app.rate_text in bar, bar


async def test_budget_counter_repaints_at_most_twice_a_second_and_ends_on_the_latest(
    app_factory, sandbox, monkeypatch
):
    import asyncio

    from c66tui.api.models import RateLimit
    from c66tui.ui.app import C66App

    monkeypatch.setattr(C66App, "RATE_REPAINT_SECONDS", 0.5)  # the app's own pace

    # Logged out: nothing polls, so only this test's answers reach the counter.
    app = app_factory(logged_in=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown: list[str] = []
        at: list[float] = []

        def seen(text: str) -> None:
            shown.append(text)
            at.append(time.monotonic())

        app.watch(app, "rate_text", seen, init=False)
        for remaining in range(3000, 2800, -1):  # 200 answers in about a second
            app.note_rate_limit(RateLimit(limit=3600, remaining=remaining))
            await asyncio.sleep(0.005)  # the answers' pace, not a wait for the outcome
        await until(pilot, lambda: shown[-1:] == ["API 2801/3600"], what="the latest shown")
        await until_idle(pilot, app, horizon=app.RATE_REPAINT_SECONDS + 1)
        assert shown[0] == "API 3000/3600", "the first answer shows at once"
        assert shown[-1] == "API 2801/3600", "the last answer is the one left in view"
        # Each repaint at least the pace after the one before (a busy machine can only
        # spread them further apart), so 200 answers gave only a few repaints.
        gaps = [later - earlier for earlier, later in zip(at, at[1:], strict=False)]
        assert len(shown) >= 2 and min(gaps) >= app.RATE_REPAINT_SECONDS - 0.01, gaps


async def test_a_budget_repaint_still_pending_at_logout_does_not_bring_it_back(
    app_factory, sandbox, monkeypatch
):

    from c66tui.api.models import RateLimit
    from c66tui.ui.app import C66App
    from c66tui.ui.screens.login import LoginScreen
    from c66tui.ui.widgets.identity_bar import IdentityBar
    from tests.ui.test_stacks_support import wait_until

    monkeypatch.setattr(C66App, "RATE_REPAINT_SECONDS", 2.0)  # outlasts the logout
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await stacks_ready(app, pilot)
        # No answer of this login still on its way: only the pending repaint could bring
        # the budget back (a read answered after the logout is another matter).
        await until_idle(pilot, app, sandbox)
        app.note_rate_limit(RateLimit(limit=3600, remaining=1111))
        app.note_rate_limit(RateLimit(limit=3600, remaining=1110))
        assert app.rate_repaint_pending, "the second answer should wait for its repaint"
        app.action_logout()
        await pilot.pause()
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen), what="logged out")
        # Idle with no timer due before the pending repaint would have fired.
        await until_idle(pilot, app, sandbox, horizon=app.RATE_REPAINT_SECONDS + 1)
        assert app.rate_text == ""
        assert "API " not in str(app.screen.query_one(IdentityBar).render())


async def test_clear_rate_forgets_the_budget_and_shows_the_next_answer_at_once(
    app_factory, sandbox, monkeypatch
):
    import asyncio

    from c66tui.api.models import RateLimit
    from c66tui.ui.app import C66App

    monkeypatch.setattr(C66App, "RATE_REPAINT_SECONDS", 0.5)
    app = app_factory(logged_in=False)  # nothing polls: only these answers count
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.note_rate_limit(RateLimit(limit=3600, remaining=900))
        app.note_rate_limit(RateLimit(limit=3600, remaining=899))
        assert app.rate_text == "API 900/3600"
        app.clear_rate()
        assert app.rate_text == ""
        app.note_rate_limit(RateLimit(limit=5000, remaining=4999))  # another login's
        assert app.rate_text == "API 4999/5000", "its first answer shows at once"
        await asyncio.sleep(app.RATE_REPAINT_SECONDS + 0.1)
        await pilot.pause()
        assert app.rate_text == "API 4999/5000", "the earlier pending repaint was dropped"

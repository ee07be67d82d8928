"""Screenshots of the help overlay at 80x24 and 120x40 (over the login screen, whose keys
are stable), and of the add-profile dialog."""

from __future__ import annotations

from tests.ui.test_login_snapshots import login_app  # noqa: F401 - shared fixture


async def _help(pilot):
    await pilot.pause()
    await pilot.press("f1")
    await pilot.pause()


def test_help_80x24(snap_compare, login_app):  # noqa: F811
    assert snap_compare(login_app(), terminal_size=(80, 24), run_before=_help)


def test_help_120x40(snap_compare, login_app):  # noqa: F811
    assert snap_compare(login_app(), terminal_size=(120, 40), run_before=_help)


def test_add_profile_80x24(snap_compare, login_app):  # noqa: F811
    async def add(pilot):
        await pilot.pause()
        pilot.app.action_add_profile()
        await pilot.pause()
        await pilot.press(*"work")
        await pilot.pause()

    assert snap_compare(login_app(), terminal_size=(80, 24), run_before=add)

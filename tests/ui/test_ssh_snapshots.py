"""The log-in confirmation at 80x24 and 120x40 (frozen sandbox clock, as the stack detail's
own snapshots)."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from c66tui.sandbox.seed import HISTORY_STACK
from c66tui.ui.dialogs.confirm import ConfirmDialog
from c66tui.ui.screens.stack_detail import StackDetailScreen
from tests.ui.test_stacks_snapshots import SIZES, frozen_now, frozen_server, sandbox, steady, uid
from tests.ui.test_stacks_support import put_cursor, settle, wait_until

__all__ = ["frozen_now", "frozen_server", "sandbox"]  # fixtures used by this module


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_ssh_confirmation(snap_compare, app_factory, sandbox, size, monkeypatch):
    monkeypatch.setenv("C66TUI_SSH_PORT", "2222")
    app = app_factory()

    async def run_before(pilot):
        screen = await steady(pilot)
        await put_cursor(pilot, screen, uid(sandbox, HISTORY_STACK))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, StackDetailScreen))
        detail = pilot.app.screen
        await wait_until(pilot, lambda: detail.loaded)
        await settle(pilot, detail)
        detail.query_one("#servers", DataTable).focus()
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        pilot.app.rate_text = "API 3590/3600"
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)

"""Shared steps for the settings screen tests (no tests here).

Opening the screen on a chosen stack and tab, letting the sandbox finish pending actions
while the app follows them, and reading what a table or the whole screen shows.
"""

from __future__ import annotations

import pytest
from textual.screen import ModalScreen

from tests.ui.notices import notices as shown_notices
from tests.waiting import DEFAULT_TIMEOUT
from tests.waiting import until as wait_until

QUIET_STACK = "tps-reports"
"""A development stack of the seed data (no production styling)."""
PRODUCTION_STACK = "shop-backend"
"""A production stack with many environment variables."""


@pytest.fixture(autouse=True)
def fast_action_polls(monkeypatch):
    """Follow sandbox actions every few milliseconds instead of every 2 s."""
    from c66tui.ops import setting_writes as writes

    monkeypatch.setattr(writes, "ACTION_POLL_INTERVAL", 0.01)
    monkeypatch.setattr(writes, "ACTION_POLL_MAX", 0.02)


def _settings_worker(worker) -> bool:
    from c66tui.ui.screens.settings import SettingsScreen

    node = worker.node
    chain = getattr(node, "ancestors_with_self", [node])
    return any(isinstance(n, SettingsScreen) for n in chain)


async def settle(pilot, app, sandbox=None, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Let the settings screen's workers finish; with ``sandbox``, fast-forward its pending
    actions meanwhile (other screens' pollers keep running and are not waited for; a
    write waiting on its open dialog counts as finished). Fails the test when they are
    still running after ``timeout`` seconds."""

    def finished() -> bool:
        if sandbox is not None:
            sandbox.finish_all()
        dialog_open = isinstance(app.screen, ModalScreen)
        return not any(
            not w.is_finished
            and _settings_worker(w)
            # A write's worker waits for the dialog it opened: the user's turn, not work.
            and not (dialog_open and (w.group or "").endswith("-write"))
            for w in app.workers
        )

    await wait_until(pilot, finished, timeout=timeout, what="settings workers finished")
    await pilot.pause()


async def open_settings(pilot, app, *, tab: str = "stack", stack_name: str | None = QUIET_STACK):
    """Press 3, pick ``stack_name`` and show ``tab``; returns the settings screen."""
    from c66tui.ui.screens.settings import SettingsScreen

    await wait_until(pilot, lambda: app.services.api is not None)
    await pilot.press("3")
    await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
    screen = app.screen
    await wait_until(pilot, lambda: len(screen.stacks) > 1 and screen.active_tab is not None)
    if stack_name is not None:
        stack = next(s for s in screen.stacks.values() if s.name == stack_name)
        screen.use_stack(stack)
    screen.show_tab(tab)
    await wait_until(pilot, lambda: screen.active_tab is screen.tab(tab))
    await settle(pilot, app)
    return screen


def table_rows(table) -> list[list[str]]:
    """Every row of a DataTable as plain strings."""
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def move_to(table, key: str) -> None:
    """Put the table cursor on the row with ``key``."""
    table.move_cursor(row=table.get_row_index(key), animate=False)


def writes_to(sandbox, method: str, fragment: str) -> list[dict]:
    """Requests in the sandbox log with ``method`` whose path contains ``fragment``."""
    return [r for r in sandbox.request_log if r["method"] == method and fragment in r["path"]]


def drop_token_scope(sandbox, app, scope: str) -> None:
    """Take ``scope`` away from the app's token inside the sandbox, so Cloud 66 refuses
    calls needing it (403) while the profile still claims the scope."""
    world = sandbox.sandbox
    record = world.token(app.services.token.reveal())
    assert record is not None and scope in record.scopes
    with world.lock:
        record.scopes = frozenset(record.scopes - {scope})


def text_of(widget) -> str:
    """The plain text a Static shows."""
    return str(widget.content)


def status_of(tab) -> str:
    """The tab's status line."""
    return text_of(tab.query_one(".tab-status"))


def detail_of(tab) -> str:
    """The tab's detail line."""
    return text_of(tab.query_one(".tab-detail"))


def journal(app, kind: str | None = None) -> list:
    """Journal entries (of ``kind``), oldest first."""
    return [e for e in app.services.journal.entries() if kind is None or e.kind == kind]


def notices(app) -> list[str]:
    """Messages of the notifications shown so far."""
    return shown_notices(app)


async def wait_for_screen(pilot, app, cls):
    """Wait until the active screen is a ``cls`` (a dialog opened by a worker) that takes
    keys (a follow-up confirmation refuses them for a moment after it opens)."""
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, cls) and not getattr(app.screen, "guarded", False),
        what=f"{cls.__name__} open and taking keys",
    )
    return app.screen


async def type_text(pilot, text: str) -> None:
    """Type ``text`` key by key into the focused field."""
    await pilot.press(*text)


def test_access_word_says_when_the_api_did_not_state_it():
    from c66tui.api.legacy import settings_from_legacy
    from c66tui.api.models import Setting
    from c66tui.ui.widgets.settings_tabs.setting_list import access_word

    assert access_word(Setting.from_api({"key": "stack.name", "readonly": True})) == "read-only"
    assert access_word(Setting.from_api({"key": "git.branch", "readonly": False})) == "editable"
    # The legacy v2 list has keys and values only: nothing says what may be changed.
    (legacy,) = settings_from_legacy({"response": {"stack.name": "shop"}})
    assert access_word(legacy) == "not stated"

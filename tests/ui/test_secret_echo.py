"""A hostile server echoes the request's own token, and a secret is typed: the token never
reaches a toast, the screen, the journal or a log (ours, or Textual's ``TEXTUAL_LOG``).

The answers come from the sandbox's ``echo_token`` fault over a real socket.
"""

from __future__ import annotations

import logging
import re

from textual import constants

from c66tui.api.redaction import register_secret
from c66tui.sandbox.seed import MARKUP_STACK
from c66tui.ui.screens.login import LoginScreen
from tests.ui.notices import notices, titled_notices
from tests.ui.test_redeploy import open_dialog
from tests.ui.test_stacks_support import stacks_ready, uid_of, wait_until


def shown_toasts(app) -> list[str]:
    """The text of every notification as it was handed to Textual (after redaction)."""
    return titled_notices(app)


async def test_a_422_quoting_the_token_is_masked_in_toast_screen_and_journal(
    app_factory, sandbox, isolated_dirs
):
    app = app_factory()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await stacks_ready(app, pilot)
        token = app.services.token.reveal()
        uid = uid_of(sandbox, MARKUP_STACK)
        sandbox.sandbox.inject_fault(
            f"/stacks/{uid}/deployments$", method="POST", body="echo_token", when="before"
        )
        await open_dialog(app, pilot, screen, uid)
        await pilot.press("y")
        await wait_until(
            pilot, lambda: any("Stack busy for" in t for t in shown_toasts(app)), what="toast"
        )
        # The answer really held the token: the fault quoted it.
        toasts = " ".join(shown_toasts(app))
        assert "[REDACTED]" in toasts
        assert token not in toasts
        assert token not in app.export_screenshot()
        journal = (isolated_dirs["state"] / "journal.jsonl").read_text()
        assert "Stack busy for" in journal and token not in journal


async def test_a_400_on_the_list_quoting_the_token_is_masked(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await stacks_ready(app, pilot)
        token = app.services.token.reveal()
        sandbox.sandbox.inject_fault(
            r"/stacks$", method="GET", status=400, body="echo_token", times=3
        )
        await pilot.press("ctrl+r")
        await wait_until(
            pilot,
            lambda: "Stack busy for" in app.export_screenshot()
            or any("Stack busy for" in t for t in shown_toasts(app)),
            what="the error shown",
        )
        await pilot.pause()
        assert screen.is_attached
        assert token not in app.export_screenshot()
        assert all(token not in text for text in shown_toasts(app))


async def test_log_records_of_any_logger_are_redacted(app_factory, caplog):
    app = app_factory()
    async with app.run_test(size=(100, 30)):
        token = app.services.token.reveal()
        caplog.set_level(logging.DEBUG)
        logging.getLogger("some.library").warning("sent %s", f"Stack busy for {token}")
        assert caplog.records and all(token not in r.getMessage() for r in caplog.records)


async def test_textual_log_never_records_a_secret_fields_keys(
    app_factory, tmp_path, monkeypatch
):
    log_file = tmp_path / "textual.log"
    monkeypatch.setattr(constants, "LOG_FILE", str(log_file))
    app = app_factory(logged_in=False)
    secret = "zq9Xw7Vb3kPm"
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen), what="login")
        # A field that is not secret is logged as before, so the log does record keys.
        client_id = app.screen.query_one("#client-id")
        client_id.focus()
        await pilot.pause()
        await pilot.press(*"plainid")
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        app.screen.query_one("#login-pat").focus()
        await pilot.pause()
        await pilot.press(*secret)
        await pilot.pause()
    text = log_file.read_text()
    typed = "".join(re.findall(r"Key\(key='[^']*', character='(.)'", text))
    assert "plainid" in typed
    assert secret not in typed
    assert not any(ch in typed for ch in "zqXwVbkPm"), typed
    assert secret not in text
    assert "<hidden: a secret field>" in text


async def test_a_short_revealed_value_is_masked_in_a_markup_toast(app_factory):
    """A one-letter password (revealed, so registered) is masked in a toast written in
    markup, and the toast still renders: masking never breaks the markup."""
    app = app_factory()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        register_secret("b")
        app.notify("[b]Saved[/b] the value b")
        await pilot.pause()
        assert notices(app) == ["Saved the value \\[REDACTED]"]
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "Saved the value [REDACTED]" in shown
        assert app.is_running

"""``s`` on a server of the stack detail: refusals send nothing; the flow cleans up.

The refusals (no ssh program, read-only profile, missing scope, a server without an
address, a refused lease) each give one sentence; the request log of the sandbox proves
nothing (or nothing more) was sent. The hand-over itself needs a real terminal: here the
headless driver refuses to suspend, and the key file must still be gone afterwards; with
the suspension and ssh replaced, the key exists (0600) exactly while ssh runs.
"""

from __future__ import annotations

import contextlib
import os

from textual.widgets import DataTable

from c66tui.ops import keyfile, server_access
from c66tui.sandbox.seed import HISTORY_STACK
from c66tui.ui.dialogs.confirm import ConfirmDialog
from tests.ui.test_stack_detail import open_detail
from tests.ui.test_stacks_support import Recorder, wait_until

LEASES = "/firewalls"
"""The v3 lease (the app's sandbox base is /api/3): POST /stacks/{uid}/firewalls."""
KEYS = "include_private_key=1"
"""The v3 key read: GET /stacks/{uid}/servers/{server_uid}?include_private_key=1."""


async def press_s_on_first_server(app, pilot, sandbox, name=HISTORY_STACK):
    detail = await open_detail(app, pilot, sandbox, name)
    table = detail.query_one("#servers", DataTable)
    table.focus()
    await pilot.pause()
    recorder = Recorder(app)
    await pilot.press("s")
    await pilot.pause()
    return detail, recorder


def requests(sandbox, method: str, fragment: str) -> list[dict]:
    """The requests of ``method`` whose path and query hold ``fragment``."""
    log = sandbox.sandbox.request_log
    return [
        e for e in log if e["method"] == method and fragment in f"{e['path']}?{e['query']}"
    ]


def sent(sandbox) -> list[dict]:
    return requests(sandbox, "POST", LEASES) + requests(sandbox, "GET", KEYS)


async def test_read_only_profile_refuses_and_sends_nothing(app_factory, sandbox):
    app = app_factory(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        _, recorder = await press_s_on_first_server(app, pilot, sandbox)
        assert recorder.saw("read-only")
        assert not isinstance(app.screen, ConfirmDialog)
        assert sent(sandbox) == []


async def test_missing_admin_scope_refuses(app_factory, sandbox):
    app = app_factory(scopes=("public", "redeploy"))
    async with app.run_test(size=(120, 40)) as pilot:
        _, recorder = await press_s_on_first_server(app, pilot, sandbox)
        assert recorder.saw("'admin' scope")
        assert sent(sandbox) == []


async def test_missing_ssh_program_refuses(app_factory, sandbox, monkeypatch):
    monkeypatch.setattr(server_access, "ssh_binary", lambda: None)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        _, recorder = await press_s_on_first_server(app, pilot, sandbox)
        assert recorder.saw("no ssh program")
        assert sent(sandbox) == []


async def test_server_without_address_refuses(app_factory, sandbox):
    world = sandbox.sandbox
    for server in world.details(world.find_stack(HISTORY_STACK)).servers:
        server.address = ""
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        _, recorder = await press_s_on_first_server(app, pilot, sandbox)
        assert recorder.saw("has no address")
        assert sent(sandbox) == []


async def test_refused_lease_is_journalled_and_no_key_is_fetched(app_factory, sandbox):
    world = sandbox.sandbox
    world.fail_next("action", world.find_stack(HISTORY_STACK).uid, "firewall is locked")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        _, recorder = await press_s_on_first_server(app, pilot, sandbox)
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert any("e-mails" in str(line) for line in app.screen.lines)
        assert sent(sandbox) == []  # nothing before the answer
        await pilot.press("y")
        await wait_until(pilot, lambda: recorder.saw("refused the lease"), what="refusal")
        assert len(requests(sandbox, "POST", LEASES)) == 1
        assert requests(sandbox, "GET", KEYS) == []
        [entry] = app.services.journal.entries()
        assert entry.kind == "lease" and entry.outcome == "failed"
        assert "firewall is locked" in entry.detail


async def test_headless_terminal_cannot_hand_over_and_leaves_no_key(app_factory, sandbox):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        _, recorder = await press_s_on_first_server(app, pilot, sandbox)
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: recorder.saw("cannot be handed over"), what="refusal")
        assert len(requests(sandbox, "GET", KEYS)) == 1
        assert os.listdir(keyfile.key_dir()) == []


async def test_ssh_runs_with_the_key_and_the_app_comes_back(app_factory, sandbox, monkeypatch):
    seen: dict = {}

    class FakeSsh:
        """ssh, as far as the flow sees it: started with an argv, waited for, status 3."""

        pid = 0x7FFFFFFF  # no such process: a signal passed on to it goes nowhere

        def __init__(self, argv):
            key = argv[argv.index("-i") + 1]
            seen["argv"] = argv
            seen["mode"] = os.stat(key).st_mode & 0o777
            seen["key"] = open(key).read()

        def wait(self):
            return 3

    monkeypatch.setattr(server_access.subprocess, "Popen", FakeSsh)
    app = app_factory()
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
    async with app.run_test(size=(120, 40)) as pilot:
        detail, recorder = await press_s_on_first_server(app, pilot, sandbox)
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: recorder.saw("exit status 3"), what="back from ssh")
        assert app.screen is detail
        assert recorder.saw("Opening the firewall") and recorder.saw("Fetching the key")
        assert seen["mode"] == 0o600 and "PRIVATE KEY" in seen["key"]
        assert "StrictHostKeyChecking=ask" in seen["argv"]
        assert os.listdir(keyfile.key_dir()) == []
        [entry] = app.services.journal.entries()
        assert entry.kind == "lease" and entry.outcome == "ok"

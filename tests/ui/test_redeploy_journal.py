"""Journal entries name the request id their write was sent with (what Cloud 66 support
asks for), and never the token: checked on the wire to the sandbox."""

from __future__ import annotations

import httpx

from c66tui.sandbox.seed import DEPLOYING_STACK, MARKUP_STACK
from c66tui.ui.dialogs.confirm import ConfirmDialog
from tests.ui.test_jobs import HISTORY_STACK, open_jobs, posts, runnable_job, settle
from tests.ui.test_jobs_run import start_run
from tests.ui.test_redeploy import journal_entries, open_dialog
from tests.ui.test_stacks_support import put_cursor, stacks_ready, uid_of, wait_until


class RecordingTransport(httpx.AsyncBaseTransport):
    """The real HTTP transport, noting each request's method, path and Request-Id."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.sent: list[tuple[str, str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.path, request.headers["request-id"]))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def ids(self, method: str, fragment: str) -> list[str]:
        return [rid for m, path, rid in self.sent if m == method and fragment in path]


async def test_redeploy_and_cancel_entries_carry_the_request_id_sent(
    app_factory, sandbox, isolated_dirs
):
    wire = RecordingTransport()
    app = app_factory(client_kwargs={"transport": wire})
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await stacks_ready(app, pilot)
        uid = uid_of(sandbox, MARKUP_STACK)
        await open_dialog(app, pilot, screen, uid)
        await pilot.press("y")
        await wait_until(pilot, lambda: journal_entries(app) and journal_entries(app)[0].outcome)
        [sent] = wire.ids("POST", f"/stacks/{uid}/deployments")
        assert journal_entries(app)[0].request_id == sent

        running = uid_of(sandbox, DEPLOYING_STACK)
        await put_cursor(pilot, screen, running)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(
            pilot,
            lambda: journal_entries(app, "cancel") and journal_entries(app, "cancel")[0].outcome,
        )
        [cancelled] = wire.ids("DELETE", f"/stacks/{running}/deployments/")
        assert journal_entries(app, "cancel")[0].request_id == cancelled
        token = app.services.token.reveal()
    assert token not in (isolated_dirs["state"] / "journal.jsonl").read_text()


async def test_job_run_entry_carries_the_request_id_sent(app_factory, sandbox, isolated_dirs):
    wire = RecordingTransport()
    app = app_factory(client_kwargs={"transport": wire})
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(app, pilot, HISTORY_STACK)
        job = runnable_job(sandbox, HISTORY_STACK)
        await start_run(app, pilot, screen, job, args="now")
        await wait_until(pilot, lambda: len(posts(sandbox, "/run_now")) == 1)
        sandbox.sandbox.finish_all()
        await settle(screen)
        await wait_until(pilot, lambda: not screen.runs.is_busy(job.uid))
        [sent] = wire.ids("POST", f"/jobs/{job.uid}/run_now")
        entry = app.services.journal.entries()[-1]
        assert entry.kind == "job_run" and entry.request_id == sent
        token = app.services.token.reveal()
    assert token not in (isolated_dirs["state"] / "journal.jsonl").read_text()

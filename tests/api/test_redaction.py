"""Secrets stay masked: the Secret type, redact() and the logging filter."""

from __future__ import annotations

import logging

import httpx
import pytest

from c66tui.api import Cloud66Client, Secret
from c66tui.api.redaction import MASK, RedactingFilter, install_redaction, redact, register_secret

SENTINEL = "sentinel-tok-7f3a9c1e5b"


def test_secret_masking():
    secret = Secret(SENTINEL)
    assert secret.reveal() == SENTINEL
    for text in (
        repr(secret),
        str(secret),
        f"{secret}",
        f"{secret!r}",
        "{}".format(secret),  # noqa: UP032
        repr([secret]),
        repr({"token": secret}),
    ):
        assert SENTINEL not in text
    assert secret.masked() == "****" + SENTINEL[-4:]
    assert Secret("short").masked() == "****"
    assert Secret(secret) == secret and bool(secret) and not Secret("")
    with pytest.raises(TypeError):
        Secret(123)


@pytest.mark.parametrize(
    "text",
    [
        f"Authorization: Bearer {SENTINEL}",
        f"headers={{'authorization': 'bearer {SENTINEL}'}}",
        f"GET /api/2/stacks?access_token={SENTINEL}&page=2",
        f"grant_type=authorization_code&code={SENTINEL}&client_secret={SENTINEL}",
        f'{{"access_token": "{SENTINEL}", "token_type": "bearer"}}',
        f"refresh_token={SENTINEL}",
        f"code_verifier={SENTINEL}",
    ],
)
def test_redact_patterns(text):
    masked = redact(text)
    assert SENTINEL not in masked
    assert MASK in masked


def test_redact_keeps_ordinary_text():
    text = "GET /api/2/stacks?page=2 error_code=5 -> 200"
    assert redact(text) == text


def test_registered_secrets_are_masked_anywhere():
    value = "odd-format-secret-99x"
    register_secret(value)
    assert value not in redact(f"something {value} else")
    assert redact("client_secret=x the secret") == "client_secret=[REDACTED] the secret"


@pytest.mark.parametrize("value", ["Q", "p9", "a b", "s3cr3t!"])
def test_short_registered_secrets_are_masked_too(value):
    """A revealed password of any length never leaves the process, not even a short one."""
    register_secret(value)
    masked = redact(f"Stack busy: value={value}; echoed '{value}' again")
    assert value not in masked.replace(MASK, "")
    assert masked.count(MASK) >= 2


def test_a_short_secret_does_not_rewrite_the_mask():
    register_secret("E")  # a letter of [REDACTED] itself
    register_secret("longer-secret-Ev4lue")
    assert redact("x longer-secret-Ev4lue y E") == f"x {MASK} y {MASK}"


def test_blank_values_are_not_registered():
    register_secret(" ")
    register_secret("")
    assert redact("a b") == "a b"


def test_a_short_secret_leaves_local_records_readable(tmp_path):
    """The journal and the job history keep their field names, ids and times readable
    when a one-character password is registered, and mask the value in free text."""
    from c66tui.ops.job_history import JobHistory
    from c66tui.ops.journal import Journal

    register_secret("e")
    journal = Journal(tmp_path / "journal.jsonl")
    entry_id = journal.begin("job_run", "default", "stack-e1", "web", {"job_uid": "job-e"})
    journal.complete(entry_id, "unknown", "server said: value e")
    [entry] = journal.entries()
    assert entry.id == entry_id and entry.kind == "job_run" and entry.outcome == "unknown"
    assert entry.started_at is not None and entry.finished_at is not None
    assert entry.stack_uid == "stack-e1" and entry.params["job_uid"] == "job-e"
    assert entry.detail == f"s{MASK}rv{MASK}r said: valu{MASK} {MASK}"
    history = JobHistory(tmp_path / "jobs")
    run_id = history.start(
        profile="default",
        stack_uid="stack-e1",
        stack_name="web",
        job_uid="job-e",
        job_name="backup",
        args="--e",
    )
    history.finish("job-e", run_id, "ok", "done e", action_id=7)
    [run] = history.runs("job-e")
    assert run.id == run_id and run.outcome == "ok" and run.action_id == 7
    assert run.started_at is not None and run.finished_at is not None
    assert "e" not in run.message.replace(MASK, "") and "e" not in run.args.replace(MASK, "")


def test_filter_rewrites_records():
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "sending %s", (f"Bearer {SENTINEL}",), None
    )
    assert RedactingFilter().filter(record) is True
    assert SENTINEL not in record.getMessage()


def test_install_attaches_to_loggers_and_children(caplog):
    flt = install_redaction()
    assert install_redaction() is flt
    for name in ("httpx", "httpcore", "c66tui"):
        assert flt in logging.getLogger(name).filters
    caplog.set_level(logging.DEBUG)
    for name in ("httpcore.http11", "c66tui.ui.something.new", "httpx"):
        logging.getLogger(name).debug("token %s", f"access_token={SENTINEL}")
    assert len(caplog.records) == 3
    assert SENTINEL not in caplog.text


async def test_client_logs_never_show_the_token(caplog):
    caplog.set_level(logging.DEBUG)

    def handler(request):
        return httpx.Response(401, json={"error": "unauthenticated"})

    async with Cloud66Client(
        "https://api.test/api/2", SENTINEL, transport=httpx.MockTransport(handler)
    ) as api:
        logging.getLogger("c66tui.test").info("client is %r", api)
        with pytest.raises(Exception) as info:
            await api.list_stacks()
    assert SENTINEL not in caplog.text
    assert SENTINEL not in str(info.value) and SENTINEL not in repr(info.value)

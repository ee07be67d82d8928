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
    register_secret("secret")  # too short to register safely: it is also a word
    assert redact("client_secret=x the secret") == "client_secret=[REDACTED] the secret"


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

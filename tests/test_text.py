"""sanitize, relative_time, short_duration and redact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from c66tui.text import redact, relative_time, sanitize, short_duration

NOW = datetime(2026, 5, 9, 12, 0, 0, tzinfo=UTC)


def test_escape_sequences_become_visible():
    assert sanitize("a\x1b[2Jb") == "a\u241b[2Jb"
    assert sanitize("title\x1b]0;pwned\x07") == "title\u241b]0;pwned\u2407"
    assert sanitize("\x9b31m") == "\ufffd31m"
    assert sanitize("x\x7f") == "x\u2421"
    assert sanitize("\u202eevil\u2066") == "\ufffdevil\ufffd"


def test_line_breaks():
    assert sanitize("a\nb\tc\r\nd") == "a b c d"
    assert sanitize("a\nb\tc\r\nd\re", single_line=False) == "a\nb\tc\nd\u240de"


def test_any_object():
    assert sanitize(None) == ""
    assert sanitize(42) == "42"
    assert sanitize(["[bold]"]) == "['[bold]']"

    class Broken:
        def __str__(self):
            raise RuntimeError

    assert sanitize(Broken()) == "<Broken>"


def test_markup_is_left_alone():
    assert sanitize("api [/prod] [bold]x[/]") == "api [/prod] [bold]x[/]"


def _bad(ch: str, single_line: bool) -> bool:
    code = ord(ch)
    if not single_line and ch in "\n\t":
        return False
    return (
        code < 0x20 or 0x7F <= code < 0xA0 or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069
    )


@settings(max_examples=200)
@given(st.text(), st.booleans())
def test_output_has_no_control_characters(text, single_line):
    out = sanitize(text, single_line=single_line)
    assert not any(_bad(ch, single_line) for ch in out)
    if single_line:
        assert "\n" not in out


def test_relative_time():
    assert relative_time(None, NOW) == "—"
    assert relative_time(NOW - timedelta(seconds=2), NOW) == "just now"
    assert relative_time(NOW - timedelta(seconds=42), NOW) == "42s ago"
    assert relative_time(NOW - timedelta(minutes=5, seconds=10), NOW) == "5m ago"
    assert relative_time(NOW - timedelta(hours=3), NOW) == "3h ago"
    assert relative_time(NOW - timedelta(days=2, hours=5), NOW) == "2d ago"
    assert relative_time(NOW - timedelta(days=800), NOW) == "2y ago"
    assert relative_time(NOW + timedelta(minutes=5, seconds=1), NOW) == "in 5m"
    naive = datetime(2026, 5, 9, 11, 59, 0)
    assert relative_time(naive, NOW) == "1m ago"
    assert relative_time(datetime.now(UTC) - timedelta(hours=1)) == "1h ago"


def test_short_duration():
    assert short_duration(None) == "—"
    assert short_duration(-3) == "0s"
    assert short_duration(42.9) == "42s"
    assert short_duration(245) == "4m 05s"
    assert short_duration(3720) == "1h 02m"
    assert short_duration(2 * 86400 + 3 * 3600) == "2d 03h"


def test_redact():
    text = (
        'Authorization: Bearer abc.DEF-123 url?code=xyz&state=1 {"access_token": "tok"} '
        "client_secret=shh plain-secret-value"
    )
    out = redact(text, secrets=["plain-secret-value"])
    for leaked in ("abc.DEF-123", "xyz", '"tok"', "shh", "plain-secret-value"):
        assert leaked not in out
    assert "state=1" in out

"""Environment variables rendered as dotenv or JSON text (the download formats)."""

from __future__ import annotations

import json
import re

import pytest

from c66tui.sandbox import envformat
from c66tui.sandbox.envelope import ApiError
from c66tui.sandbox.records import EnvRec

UNESCAPES = {"\\\\": "\\", '\\"': '"', "\\$": "$", "\\n": "\n", "\\r": "\r"}


def read_dotenv(text: str) -> dict[str, str]:
    """A strict reader of what :func:`envformat.render` writes (bare or double-quoted)."""
    out = {}
    for line in text.split("\n")[:-1]:
        key, _, value = line.partition("=")
        if value.startswith('"'):
            assert value.endswith('"') and len(value) >= 2, line
            value = re.sub(r"\\[\\\"$nr]", lambda m: UNESCAPES[m.group(0)], value[1:-1])
        out[key] = value
    return out


def rec(key, value, **flags) -> EnvRec:
    return EnvRec(id=1, key=key, value=value, created_at=0, updated_at=0, **flags)


TRICKY = [
    "plain",
    "",
    "with space",
    'say "hi"',
    "multi\nline\r\nvalue",
    "back\\slash",
    "$HOME and ${PATH}",
    "# not a comment",
    "ünïcødé ✓",
    "trailing  ",
    "=equals=",
    "postgres://u:p@h:5432/db?ssl=true",
]


@pytest.mark.parametrize("value", TRICKY)
def test_dotenv_values_read_back_byte_for_byte(value):
    text = envformat.render([rec("KEY", value)], "dotenv", {"all"})
    assert text.count("\n") == 1, "one line per variable"
    assert read_dotenv(text) == {"KEY": value}


def test_plain_values_stay_bare_and_others_are_quoted():
    text = envformat.render([rec("A", "x.y/z-1"), rec("B", "a b")], "dotenv", {"all"})
    assert text == 'A=x.y/z-1\nB="a b"\n'


def test_non_text_values_are_written_as_a_process_sees_them():
    records = [rec("ON", True), rec("N", 3), rec("NONE", None)]
    assert envformat.render(records, "dotenv", {"all"}) == "ON=true\nN=3\nNONE=\n"
    assert json.loads(envformat.render(records, "json", {"all"})) == {
        "ON": True,
        "N": 3,
        "NONE": None,
    }


def test_kinds_select_user_generated_and_locked_variables():
    records = [
        rec("MINE", "1"),
        rec("MADE", "2", is_generated=True),
        rec("FIXED", "3", is_generated=True, readonly=True),
    ]

    def keys(kinds):
        return list(json.loads(envformat.render(records, "json", kinds)))

    assert keys({"user"}) == ["MINE"]
    assert keys({"generated"}) == ["MADE", "FIXED"]
    assert keys({"locked"}) == ["FIXED"]
    assert keys({"user", "locked"}) == ["MINE", "FIXED"]
    assert keys({"all"}) == ["MINE", "MADE", "FIXED"]


def test_requested_types_parse_and_refuse_unknown_words():
    assert envformat.parse_kinds(None) == {"all"}
    assert envformat.parse_kinds(" User, generated ,") == {"user", "generated"}
    with pytest.raises(ApiError) as err:
        envformat.parse_kinds("user,secret")
    assert err.value.status == 400 and "secret" in err.value.details

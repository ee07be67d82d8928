"""Validation of values typed on the settings screen."""

from __future__ import annotations

import pytest

from c66tui.config import validate_preference


@pytest.mark.parametrize(("raw", "value"), [("30", 30), (" 5 ", 5), ("3600", 3600), ("60s", 60)])
def test_refresh_ok(raw, value):
    assert validate_preference("refresh_seconds", raw) == value


@pytest.mark.parametrize("raw", ["4", "3601", "0", "-5", "1.5", "abc", "", "٣٠", "9" * 50])
def test_refresh_rejected_with_plain_message(raw):
    with pytest.raises(ValueError) as info:
        validate_preference("refresh_seconds", raw)
    assert str(info.value) == (
        "Refresh interval must be a whole number of seconds between 5 and 3600"
    )


@pytest.mark.parametrize(("raw", "value"), [("on", True), ("No", False), ("true", True)])
def test_flags(raw, value):
    assert validate_preference("mouse", raw) is value


def test_flag_message():
    with pytest.raises(ValueError, match="Mouse support must be on or off"):
        validate_preference("mouse", "maybe")


def test_keys_and_others():
    assert validate_preference("keymap.stacks.redeploy", " Ctrl+D , f5") == "ctrl+d,f5"
    with pytest.raises(ValueError, match="key names"):
        validate_preference("keymap.stacks.redeploy", "ctrl+")
    assert validate_preference("theme", " ansi-dark ") == "ansi-dark"
    with pytest.raises(ValueError):
        validate_preference("theme", "bad\x1b")
    assert validate_preference("favourites", "a, b c") == ["a", "b", "c"]
    assert validate_preference("api_url", "https://x.test/api/3/") == "https://x.test/api/3"
    with pytest.raises(ValueError, match="API URL"):
        validate_preference("api_url", "x.test")
    assert validate_preference("default_profile", "prod-eu") == "prod-eu"
    with pytest.raises(ValueError):
        validate_preference("default_profile", "no spaces")
    with pytest.raises(ValueError, match="Unknown setting"):
        validate_preference("nope", "1")

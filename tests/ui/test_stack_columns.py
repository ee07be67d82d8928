"""How the stack list's columns share the width: the state whole, then the name."""

from __future__ import annotations

from c66tui.api.models import Stack
from c66tui.ui.widgets.stack_columns import (
    PADDING,
    UNICODE_SYMBOLS,
    filter_fields,
    fit_widths,
    state_text,
)

STACKS = [
    Stack("u1", "admin-portal-dev", "development", status=1, health=3, account_name="Acme Corp"),
    Stack("u2", "marketing-site", "production", 1, 3, maintenance_mode=True, account_name="Globex"),
    Stack("u3", "forecast-portal-staging", "staging", status=6, health=2, account_name="Initech"),
    Stack("u4", "billing-api", "production", status=2, health=4, account_name="Acme Corp"),
]


def test_state_carries_status_and_maintenance_in_words():
    assert state_text(STACKS[1], UNICODE_SYMBOLS) == "✓ deployed ▲ maint"
    assert state_text(STACKS[2], UNICODE_SYMBOLS) == "▶ deploying"
    assert "maintenance" in filter_fields(STACKS[1])[-1]
    assert "busy" in filter_fields(STACKS[2])[-1]
    assert "Globex" in filter_fields(STACKS[1])


def test_widths_by_priority_at_120_80_and_60():
    longest_state = max(len(state_text(s, UNICODE_SYMBOLS)) for s in STACKS)
    for total, dropped in ((119, set()), (79, set()), (59, {"activity", "health"})):
        widths = fit_widths(total, STACKS, UNICODE_SYMBOLS, account=True)
        columns = widths.columns
        assert set(widths.dropped) == dropped
        assert sum(w + PADDING for w in columns.values()) <= total, total
        assert columns["status"] >= longest_state, "the state is never cut"
        assert columns["name"] >= 16, "admin-portal-dev stays whole"
    wide = fit_widths(119, STACKS, UNICODE_SYMBOLS, account=True)
    assert wide.columns["name"] >= len("forecast-portal-staging") and not wide.short_env
    assert fit_widths(79, STACKS, UNICODE_SYMBOLS, account=True).short_env

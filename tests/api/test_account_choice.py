"""Which account a token works in: pinned, else ``current_account``, else the first."""

from __future__ import annotations

from c66tui.api.client_accounts import account_label, choose_account

ITEMS = [
    {"id": 1, "owner": "first@example.com"},
    {"id": 2, "owner": "current@example.com", "current_account": True},
    {"id": "3", "owner": ""},
]


def test_the_pinned_account_wins_then_the_current_one_then_the_first():
    assert choose_account(ITEMS, 3).id == 3
    assert choose_account(ITEMS).owner == "current@example.com"
    assert choose_account(ITEMS, 99).owner == "current@example.com"
    assert choose_account(ITEMS[:1] + ITEMS[2:]).owner == "first@example.com"
    assert choose_account([]) is None
    assert choose_account(["not an object"]) is None


def test_the_label_names_the_owner_else_the_number():
    assert account_label(choose_account(ITEMS, 1)) == "account of first@example.com"
    assert account_label(choose_account(ITEMS, 3)) == "account 3"
    assert account_label(None) == ""

"""The firewall lease goes through the write engine: journal first, one lease per stack in
flight, sent once, an unreadable journal means nothing is sent, a lost answer is
"unknown" and not resent. (The loopback-socket path is in tests/test_cli_ssh.py.)"""

from __future__ import annotations

import pytest

from c66tui.api.errors import OutcomeUnknownError
from c66tui.ops.journal import Journal
from c66tui.ops.lease import LeaseRequest, open_lease
from tests.ops.test_write_engine import Session

REQUEST = LeaseRequest("uid-1", "shop", port=2222, minutes=5)


class LeaseApi:
    """Answers ``open_lease`` as ``/api/2`` does, or loses the answer."""

    def __init__(self, lose: bool = False) -> None:
        self.calls: list[dict] = []
        self.lose = lose

    async def open_lease(self, uid: str, **params):
        self.calls.append({"uid": uid, **params})
        if self.lose:
            raise OutcomeUnknownError("the connection was reset after sending")
        return {"ok": True, "message": "198.51.100.4 is allowed to connect"}


def session_for(api: LeaseApi, tmp_path) -> Session:
    return Session(api, Journal(tmp_path / "journal.jsonl"))


async def test_a_lease_is_journalled_and_sent_once(tmp_path):
    api = LeaseApi()
    session = session_for(api, tmp_path)
    result = await open_lease(session, REQUEST)
    assert (result.outcome, result.message) == ("ok", "198.51.100.4 is allowed to connect")
    assert len(api.calls) == 1 and api.calls[0]["port"] == 2222
    entry = session.journal.get(result.entry_id)
    assert (entry.kind, entry.outcome, entry.params["minutes"]) == ("lease", "ok", 5)


async def test_a_lease_already_in_flight_for_the_stack_is_not_sent(tmp_path):
    api = LeaseApi()
    session = session_for(api, tmp_path)
    session.in_flight.add("lease:uid-1")
    result = await open_lease(session, REQUEST)
    assert result.outcome == "not_sent" and not result.ok and api.calls == []


async def test_an_unwritable_journal_sends_nothing(tmp_path):
    api = LeaseApi()
    (tmp_path / "journal.jsonl").mkdir()  # a directory where the file should be
    with pytest.raises(OSError):
        await open_lease(session_for(api, tmp_path), REQUEST)
    assert api.calls == []


async def test_a_lost_answer_is_unknown_and_not_resent(tmp_path):
    api = LeaseApi(lose=True)
    session = session_for(api, tmp_path)
    result = await open_lease(session, REQUEST)
    assert result.outcome == "unknown" and result.error is None and len(api.calls) == 1
    assert session.journal.get(result.entry_id).outcome == "unknown"

"""The last-known stack list cache."""

from __future__ import annotations

import os
import stat

from c66tui.ops.cache import StackCache


def test_round_trip_per_profile(isolated_dirs):
    cache = StackCache(isolated_dirs["cache"])
    assert cache.load("prod") == ([], None)
    cache.save("prod", [{"uid": "a", "name": "web"}])
    cache.save("staging", [{"uid": "b"}])
    stacks, saved_at = cache.load("prod")
    assert stacks == [{"uid": "a", "name": "web"}] and saved_at is not None
    assert cache.load("staging")[0] == [{"uid": "b"}]
    path = cache.path_for("prod")
    assert path.name == "stacks-prod.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert StackCache().directory == isolated_dirs["cache"]
    cache.clear("prod")
    assert cache.load("prod") == ([], None)


def test_odd_profile_names_stay_inside_the_directory(isolated_dirs):
    cache = StackCache(isolated_dirs["cache"])
    cache.save("../escape", [{"uid": "x"}])
    assert cache.path_for("../escape").parent == isolated_dirs["cache"]
    assert cache.load("../escape")[0] == [{"uid": "x"}]


def test_any_problem_gives_empty(isolated_dirs):
    cache = StackCache(isolated_dirs["cache"])
    cache.save("p", [{"uid": "a"}])
    path = cache.path_for("p")
    for bad in (b"", b"{", b"[]", b'{"version": 1}', b"\xff", b'{"version":1,"profile":"q"}'):
        path.write_bytes(bad)
        assert cache.load("p") == ([], None)


def test_save_failure_is_silent(isolated_dirs, monkeypatch):
    cache = StackCache(isolated_dirs["cache"])
    cache.save("p", [{"uid": "a"}])

    def fail(*_a):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    cache.save("p", [{"uid": "b"}])
    monkeypatch.undo()
    assert cache.load("p")[0] == [{"uid": "a"}]
    assert not [p for p in isolated_dirs["cache"].iterdir() if p.name.endswith(".tmp")]

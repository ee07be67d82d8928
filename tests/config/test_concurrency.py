"""Two processes updating the same files at the same time lose nothing (row 12)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from c66tui.config import ConfigStore

WRITER = textwrap.dedent(
    """
    import sys
    from c66tui.config import ConfigStore, Profile
    prefix = sys.argv[1]
    store = ConfigStore()
    for n in range(20):
        name = f"{prefix}{n}"
        store.update(lambda c: c.profiles.__setitem__(name, Profile(name)))
        store.set_token(name, f"token-{name}")
    """
)


def test_two_processes_each_add_twenty_profiles(made_dir):
    env = dict(os.environ, C66TUI_CONFIG_DIR=str(made_dir))
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, prefix], env=env) for prefix in "ab"]
    assert [p.wait(timeout=90) for p in procs] == [0, 0]
    store = ConfigStore()
    profiles = store.load().profiles
    expected = {f"{p}{n}" for p in "ab" for n in range(20)}
    assert expected <= set(profiles)
    for name in expected:
        assert store.get_token(name).reveal() == f"token-{name}"

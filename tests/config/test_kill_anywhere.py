"""SIGKILL at random points of config.toml and credentials.toml writes leaves each file
whole: the old version or the new one, never a torn or empty file.

A child process rewrites both files in a loop (every config write changes all profiles at
once; every token is long, so a write takes a while); the test kills it at random moments
(a fixed seed, so a failure can be replayed) and reads the files back as they were left.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import time
import tomllib

from c66tui.config import ConfigStore

PROFILES = 30
ROUNDS = 12
SEED = 20
TOKEN = re.compile(r"tok-(\d+)-(x{3000})")

WRITER = textwrap.dedent(
    f"""
    import sys
    from c66tui.config import ConfigStore, Profile

    store = ConfigStore()
    generation = int(sys.argv[1])
    print("ready", flush=True)
    while True:
        generation += 1

        def setup(config, generation=generation):
            for i in range({PROFILES}):
                config.profiles[f"p{{i}}"] = Profile(
                    name=f"p{{i}}",
                    api_url="https://app.cloud66.com/api/2",
                    client_id=f"gen-{{generation}}",
                )

        store.update(setup)
        store.set_token("p0", f"tok-{{generation}}-" + "x" * 3000)
    """
)


def config_generation(raw: bytes) -> int:
    """The one generation every profile of a whole config.toml carries."""
    parsed = tomllib.loads(raw.decode())
    written = {k: v for k, v in parsed["profiles"].items() if k.startswith("p")}
    assert len(written) == PROFILES, sorted(written)
    generations = {profile["client_id"] for profile in written.values()}
    assert len(generations) == 1, generations
    return int(generations.pop().removeprefix("gen-"))


def token_generation(raw: bytes) -> int:
    parsed = tomllib.loads(raw.decode())
    match = TOKEN.fullmatch(parsed["profiles"]["p0"]["token"])
    assert match, "the token is cut short"
    return int(match.group(1))


def kill_writer(directory, start: int, delay: float) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(start)],
        stdout=subprocess.PIPE,
        env={**os.environ, "C66TUI_CONFIG_DIR": str(directory)},
    )
    try:
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(delay)  # the random point of the kill, not a wait for an outcome
        child.send_signal(signal.SIGKILL)
    finally:
        assert child.wait(timeout=60) == -signal.SIGKILL


def test_sigkill_anywhere_leaves_old_or_new_files_whole(made_dir):
    chooser = random.Random(SEED)
    config_path, credentials_path = made_dir / "config.toml", made_dir / "credentials.toml"
    last = torn = 0
    for round_number in range(ROUNDS):
        start = round_number * 100_000
        kill_writer(made_dir, start, chooser.uniform(0.0, 0.25))
        torn += bool(list(made_dir.glob(".*.tmp")))  # killed between a write and its rename
        if not config_path.exists():
            continue  # killed before the first rename: nothing was ever written
        config_gen = config_generation(config_path.read_bytes())
        assert last <= config_gen, "an older version came back"
        if credentials_path.exists():
            token_gen = token_generation(credentials_path.read_bytes())
            assert token_gen <= config_gen  # the token is written after its config
        last = config_gen
        # The app reads both files as they were left (stale temporaries are tidied).
        store = ConfigStore(made_dir)
        assert len(store.load().profiles) == PROFILES + 1
        assert not list(made_dir.glob("*.corrupt*")) and not list(made_dir.glob("*.bad*"))
    assert last > 0, "no write finished in any round: the kills came too early to mean much"
    print(f"{torn} of {ROUNDS} kills left a half-written temporary file")

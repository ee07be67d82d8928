"""Seed determinism, scale, the server wrapper, the banner and import hygiene."""

from __future__ import annotations

import io
import subprocess
import sys
import time

import httpx

from c66tui.sandbox import Sandbox, SandboxConfig, seed
from c66tui.sandbox.server import SandboxServer, is_loopback, print_banner


def _snapshot(sandbox: Sandbox) -> list:
    out = []
    for stack in sandbox.ordered_stacks():
        details = sandbox.details(stack)
        out.append(
            (
                stack.uid,
                stack.name,
                stack.status,
                [e.key for e in details.env],
                [d.git_hash for d in details.deployments],
                [j.uid for j in details.jobs],
            )
        )
    return out


def test_seed_is_deterministic_and_order_independent():
    start = 1_700_000_000
    a = Sandbox(SandboxConfig(seed=7, start_time=start))
    b = Sandbox(SandboxConfig(seed=7, start_time=start))
    # Visit b's stacks in reverse first: lazily built details must not depend on order.
    for stack in reversed(b.ordered_stacks()):
        b.details(stack)
    assert _snapshot(a) == _snapshot(b)
    c = Sandbox(SandboxConfig(seed=8, start_time=start))
    assert [s.uid for s in c.ordered_stacks()] != [s.uid for s in a.ordered_stacks()]
    assert {s.name for s in c.ordered_stacks()} >= {seed.DEPLOYING_STACK, seed.MARKUP_STACK}


def test_default_world_shape():
    world = Sandbox(SandboxConfig())
    stacks = world.ordered_stacks()
    assert len(stacks) == seed.DEFAULT_STACK_COUNT
    assert len({s.uid for s in stacks}) == len(stacks)
    assert {s.account_name for s in stacks} == {"Acme Corp", "Globex", "Initech"}
    assert world.find_stack(seed.DEPLOYING_STACK).busy
    assert world.pending >= 1


def test_thousands_of_stacks_build_reset_and_list():
    # How long these steps take is measured by tests/benchmarks/bench_sandbox.py.
    world = Sandbox(SandboxConfig(stacks=5000))
    assert len(world.stacks) == 5000
    names = sorted(s.name for s in world.stacks.values())
    world.reset()
    assert sorted(s.name for s in world.stacks.values()) == names
    with SandboxServer(sandbox=world) as srv:
        headers = {"Authorization": "Bearer sandbox-demo-token"}
        with httpx.Client(base_url=srv.api_url, headers=headers) as client:
            first = client.get("/stacks").json()
            last = client.get("/stacks", params={"page": 167}).json()
    assert first["pagination"]["pages"] == 167 and last["count"] == 5000 - 166 * 30


def test_small_worlds_keep_the_special_stacks_first():
    world = Sandbox(SandboxConfig(stacks=2))
    assert {s.name for s in world.stacks.values()} == {seed.DEPLOYING_STACK, seed.HISTORY_STACK}
    assert Sandbox(SandboxConfig(stacks=0)).stacks == {}


def test_server_starts_and_stops():
    with SandboxServer(config=SandboxConfig(stacks=1)) as srv:
        assert srv.port > 0 and srv.base_url == f"http://127.0.0.1:{srv.port}"
        assert srv.api_url.endswith("/api/3") and srv.api2_url.endswith("/api/2")
        assert httpx.get(f"{srv.base_url}/_sandbox/info").status_code == 200
    try:
        httpx.get(f"{srv.base_url}/_sandbox/info", timeout=0.5)
        raise AssertionError("server still answering after stop")
    except httpx.TransportError:
        pass


def test_banner_tells_how_to_log_in():
    world = Sandbox(SandboxConfig(stacks=3))
    out = io.StringIO()
    print_banner("http://127.0.0.1:8066", world, out)
    text = out.getvalue()
    for needle in (
        "http://127.0.0.1:8066/api/2",
        "/api/3",
        "c66tui-sandbox",
        "sandbox-secret",
        "/oauth/authorize?client_id=c66tui-sandbox",
        "urn:ietf:wg:oauth:2.0:oob",
        "/oauth/token",
        "sandbox-demo-token",
        "curl",
    ):
        assert needle in text, needle


def test_is_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2")


def test_importing_the_sandbox_does_not_import_textual():
    code = "import c66tui.sandbox, c66tui.sandbox.server, sys; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_frozen_clock_only_moves_when_advanced():
    world = Sandbox(SandboxConfig(realtime=False, start_time=1_700_000_000))
    assert world.now() == 1_700_000_000
    time.sleep(0.01)
    assert world.now() == 1_700_000_000
    assert world.advance(5) == 1_700_000_005

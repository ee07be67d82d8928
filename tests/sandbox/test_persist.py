"""A sandbox with a state file keeps its lasting changes across a restart."""

from __future__ import annotations

import json
import stat

import httpx

from c66tui.sandbox import Sandbox, SandboxConfig, seed
from c66tui.sandbox.server import SandboxServer

AUTH = {"Authorization": f"Bearer {Sandbox.DEMO_TOKEN}"}


def client(server: SandboxServer) -> httpx.Client:
    return httpx.Client(base_url=server.api_url, headers=AUTH, timeout=10)


def snapshot(api: httpx.Client, stack: str) -> dict:
    settings = {
        s["key"]: s["value"] for s in api.get(f"/stacks/{stack}/settings").json()["response"]
    }
    env = {
        e["key"]: e["value"] for e in api.get(f"/stacks/{stack}/environments").json()["response"]
    }
    jobs = {j["uid"]: j["paused"] for j in api.get(f"/stacks/{stack}/jobs").json()["response"]}
    body = api.get(f"/stacks/{stack}").json()["response"]
    deployments = api.get(f"/stacks/{stack}/deployments").json()["response"]
    return {
        "settings": settings,
        "env": env,
        "jobs": jobs,
        "maintenance": body["maintenance_mode"],
        "deployments": len(deployments),
    }


def test_changes_survive_a_restart_and_events_do_not_replay(tmp_path):
    state = tmp_path / "sandbox-state.jsonl"
    config = SandboxConfig(stacks=None, state_file=str(state))
    with SandboxServer(config=config) as first, client(first) as api:
        world = first.sandbox
        stack = world.find_stack(seed.QUIET_STACK).uid
        before = snapshot(api, stack)
        job = next(iter(before["jobs"]))
        env_vars = api.get(f"/stacks/{stack}/environments").json()["response"]
        env_key = next(e["key"] for e in env_vars if not (e["readonly"] or e["is_generated"]))
        assert api.put(f"/stacks/{stack}/settings/git-branch", data={"value": "release"}).is_success
        assert api.post(
            f"/stacks/{stack}/environments", data={"key": "FEATURE_X", "value": "on"}
        ).is_success
        assert api.delete(f"/stacks/{stack}/environments/{env_key}").is_success
        assert api.post(
            f"/stacks/{stack}/actions", data={"command": "maintenance_mode", "value": "1"}
        ).is_success
        paused = before["jobs"][job]
        verb = "unpause" if paused else "pause"
        assert api.post(f"/stacks/{stack}/jobs/{job}/{verb}").is_success
        assert api.post(f"/stacks/{stack}/deployments").is_success  # an event, not state
        refused = api.put(f"/stacks/{stack}/settings/no-such-setting", data={"value": "x"})
        assert refused.status_code == 404  # refused writes are not remembered
        token = world.mint_token(["public", "admin"], "ops@example.com")
        world.finish_all()
        changed = snapshot(api, stack)
    assert changed["settings"]["git.branch"] == "release"
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert Sandbox.DEMO_TOKEN not in state.read_text()
    assert "no-such-setting" not in state.read_text() and "/deployments" not in state.read_text()

    with SandboxServer(config=config) as second, client(second) as api:
        restored = snapshot(api, stack)
        assert restored["settings"] == changed["settings"]
        assert restored["env"] == changed["env"] and "FEATURE_X" in restored["env"]
        assert env_key not in restored["env"]
        assert restored["maintenance"] is True and restored["jobs"][job] is (not paused)
        assert restored["deployments"] == before["deployments"], "deploys are not replayed"
        # The seeded deploy still runs: replaying finished only the replayed actions.
        deploying = second.sandbox.find_stack(seed.DEPLOYING_STACK).uid
        assert api.get(f"/stacks/{deploying}").json()["response"]["status"] in (5, 6)
        other = httpx.get(f"{second.api_url}/stacks", headers={"Authorization": f"Bearer {token}"})
        assert other.status_code == 200, "a token the sandbox issued still works"

        # Reset forgets everything.
        assert httpx.post(f"{second.base_url}/_sandbox/reset").is_success
    assert not state.exists()
    with SandboxServer(config=config) as third, client(third) as api:
        assert snapshot(api, stack) == before


def test_unreadable_lines_and_other_worlds_are_skipped(tmp_path):
    state = tmp_path / "state.jsonl"
    stack_config = SandboxConfig(seed=66, state_file=str(state))
    with SandboxServer(config=stack_config) as server, client(server) as api:
        stack = server.sandbox.find_stack(seed.QUIET_STACK).uid
        api.put(f"/stacks/{stack}/settings/git-branch", data={"value": "kept"})
    lines = state.read_text().splitlines()
    other = json.loads(lines[0])
    other["world"]["seed"] = 7
    other["body"] = {"value": "from-another-world"}
    state.write_text(
        "\n".join(["{not json", json.dumps(other), lines[0], '"a string"', "[1, 2]"]) + "\n"
    )
    with SandboxServer(config=stack_config) as server, client(server) as api:
        settings = {
            s["key"]: s["value"] for s in api.get(f"/stacks/{stack}/settings").json()["response"]
        }
        assert settings["git.branch"] == "kept"


def test_only_maintenance_actions_are_remembered(tmp_path):
    state = tmp_path / "sandbox-state.jsonl"
    config = SandboxConfig(stacks=None, state_file=str(state))

    def started(api: httpx.Client, stack: str, reference: str) -> list[str]:
        query = {"user_reference": reference}
        actions = api.get(f"/stacks/{stack}/actions", params=query).json()["response"]
        return [a["action"] for a in actions]

    with SandboxServer(config=config) as first, client(first) as api:
        stack = first.sandbox.find_stack(seed.QUIET_STACK).uid
        for command in ("restart", "clear_caches"):
            body = {"command": command, "user_reference": "event"}
            assert api.post(f"/stacks/{stack}/actions", data=body).is_success
        body = {"command": "maintenance_mode", "value": "1", "user_reference": "lasting"}
        assert api.post(f"/stacks/{stack}/actions", data=body).is_success
        assert started(api, stack, "event") == ["clear_caches", "restart"]
    remembered = [json.loads(line) for line in state.read_text().splitlines()]
    assert [e["body"]["command"] for e in remembered] == ["maintenance_mode"]

    with SandboxServer(config=config) as second, client(second) as api:
        assert started(api, stack, "event") == [], "restarts and cache clears are not replayed"
        assert started(api, stack, "lasting") == ["maintenance_mode"]
        assert api.get(f"/stacks/{stack}").json()["response"]["maintenance_mode"] is True


def test_a_revoked_token_stays_revoked_after_a_restart(tmp_path):
    config = SandboxConfig(stacks=3, state_file=str(tmp_path / "sub" / "state.jsonl"))
    with SandboxServer(config=config) as first:
        revoked = first.sandbox.mint_token(["public"], "ops@example.com")
        kept = first.sandbox.mint_token(["public"], "ops@example.com")
        assert httpx.delete(f"{first.base_url}/_sandbox/tokens/{revoked}").is_success
    with SandboxServer(config=config) as second:

        def status(token: str) -> int:
            answer = httpx.get(
                f"{second.api_url}/stacks", headers={"Authorization": f"Bearer {token}"}
            )
            return answer.status_code

        assert status(revoked) == 401
        assert status(kept) == 200
        assert second.sandbox.tokens[kept].scopes == frozenset({"public"})

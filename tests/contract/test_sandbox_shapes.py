"""The sandbox answers every documented request with the published sample's shape.

For each endpoint the sandbox's answer (over a real loopback socket) must have every key
of the sample, with the same value types (checked against the samples in ``samples/``,
never against our own models), and no key beyond the sample except the few another
published source names (``documented.EXTRAS``, each with that source).
"""

from __future__ import annotations

import httpx
import pytest

from c66tui.sandbox import Sandbox, seed
from tests.contract.documented import EXTRAS, check_body
from tests.contract.published import sample


def _ids(world: Sandbox) -> dict[str, str]:
    stack = world.find_stack(seed.HISTORY_STACK)
    details = world.details(stack)
    return {
        "uid": stack.uid,
        "server": details.servers[0].uid,
        "group": str(details.groups[0].id),
        "deploy": str(details.deployments[0].id),
        "action": str(details.actions[0].id),
        "env": str(details.env[0].id),
        "env_key": next(e.key for e in details.env if not e.readonly),
        "job": details.jobs[0].uid,
        "account": str(world.accounts[0].id),
        "user": str(world.users[0].id),
    }


READS = [
    ("3", "/stacks", "v3/stacks_list", "stack"),
    ("3", "/stacks/{uid}", "v3/stack_get", "stack"),
    ("3", "/stacks/{uid}/actions", "v3/actions_list", "action"),
    ("3", "/stacks/{uid}/actions/{action}", "v3/action_get", "action"),
    ("3", "/stacks/{uid}/deployments", "v3/deployments_list", None),
    ("3", "/stacks/{uid}/deployments/{deploy}", "v3/deployment_get", None),
    ("3", "/stacks/{uid}/environments", "v3/env_vars_list", "env_var"),
    ("3", "/stacks/{uid}/environments/{env}", "v3/env_var_get", "env_var"),
    ("3", "/stacks/{uid}/jobs", "v3/jobs_list", "job"),
    ("3", "/stacks/{uid}/jobs", "2024/jobs_list", "job"),
    ("3", "/stacks/{uid}/settings", "v3/settings_list", None),
    ("3", "/stacks/{uid}/settings/git-branch", "v3/setting_get", None),
    ("3", "/stacks/{uid}/servers/{server}/settings", "v3/server_settings_list", None),
    ("3", "/stacks/{uid}/servers/{server}/settings/server-name", "v3/server_setting_get", None),
    ("3", "/stacks/{uid}/servers", "v3/servers_list", None),
    ("3", "/stacks/{uid}/servers/{server}", "v3/server_get", None),
    ("3", "/stacks/{uid}/server_groups", "v3/server_groups_list", None),
    ("3", "/stacks/{uid}/server_groups/{group}", "v3/server_group_get", None),
    ("3", "/users", "v3/users_list", None),
    ("3", "/users/{user}", "v3/user_get", None),
    ("3", "/accounts", "v3/accounts_list", "account"),
    ("3", "/accounts/{account}", "v3/account_get", "account"),
    ("2", "/stacks/{uid}", "v2/stack_get", None),
    ("2", "/stacks/{uid}/server_groups", "v2/server_groups_list", None),
]

WRITES = [
    ("3", "POST", "/stacks/{uid}/actions", {"command": "clear_caches"}, "v3/action_run", "action"),
    ("3", "POST", "/stacks/{uid}/deployments", None, "2024/redeploy", None),
    ("3", "POST", "/stacks/{uid}/environments", {"key": "NEW_K", "value": "v"},
     "v3/env_var_add", "action"),
    ("3", "PUT", "/stacks/{uid}/environments/{env_key}", {"value": "debug"},
     "v3/env_var_update", "action"),
    ("3", "POST", "/stacks/{uid}/jobs/{job}/run_now", None, "v3/job_run", "action"),
    ("3", "POST", "/stacks/{uid}/jobs/{job}/pause", None, "2024/job_pause", "action"),
    ("3", "POST", "/stacks/{uid}/jobs/{job}/unpause", None, "2024/job_unpause", "action"),
    ("3", "PUT", "/stacks/{uid}/settings/git-branch", {"value": "staging"},
     "v3/setting_update", "action"),
    ("3", "PUT", "/stacks/{uid}/servers/{server}/settings/server-name", {"value": "Caribou"},
     "v3/server_setting_update", "action"),
    ("2", "POST", "/stacks/{uid}/setting", {"setting_name": "asset.prefix", "setting_value": "a"},
     "v2/setting", None),
    ("2", "POST", "/stacks/{uid}/redeploy", None, "v2/redeploy", None),
    ("2", "POST", "/stacks/{uid}/restart", None, "v2/restart", None),
    ("2", "POST", "/stacks/{uid}/maintenance_mode", {"value": "1"}, "v2/maintenance_mode", None),
]  # fmt: skip


def _client(sandbox, generation: str) -> httpx.Client:
    base = sandbox.api2_url if generation == "2" else sandbox.api3_url
    headers = {"Authorization": f"Bearer {Sandbox.DEMO_TOKEN}"}
    return httpx.Client(base_url=base, headers=headers, timeout=10)


@pytest.mark.parametrize(("generation", "path", "name", "kind"), READS)
def test_reads_have_the_samples_keys_and_types(sandbox, generation, path, name, kind):
    url = path.format(**_ids(sandbox.sandbox))
    with _client(sandbox, generation) as api:
        answer = api.get(url)
    assert answer.status_code == 200, answer.text
    check_body(sample(name), answer.json(), EXTRAS.get(kind, set()))


@pytest.mark.parametrize(("generation", "method", "path", "form", "name", "kind"), WRITES)
def test_writes_have_the_samples_keys_and_types(sandbox, generation, method, path, form, name,
                                                kind):  # fmt: skip
    url = path.format(**_ids(sandbox.sandbox))
    with _client(sandbox, generation) as api:
        answer = api.request(method, url, data=form)
    assert answer.status_code == 200, answer.text
    check_body(sample(name), answer.json(), EXTRAS.get(kind, set()))


def test_the_go_librarys_redeploy_body_is_accepted(sandbox):
    """cloud66-oss/cloud66 stack.go sends JSON with an empty git_ref and services list."""
    uid = _ids(sandbox.sandbox)["uid"]
    body = {"git_ref": "", "deploy_strategy": "", "rollout_strategy": None,
            "canary_percentage": None, "deployment_profile": "", "services": []}  # fmt: skip
    with _client(sandbox, "3") as api:
        answer = api.post(f"/stacks/{uid}/deployments.json", json=body)
        assert answer.status_code == 200, answer.text
        listed = api.post(f"/stacks/{uid}/deployments", data={"services": "web,worker"})
        assert listed.status_code == 200, listed.text
    queued = sandbox.sandbox.details(sandbox.sandbox.stacks[uid]).deployments[0]
    assert queued.services == ["web", "worker"]


def test_legacy_settings_are_one_object_of_scalars(sandbox):
    """``v2/settings``: a ``key: value`` object (keys vary by stack), values scalars and
    true/false as words, like the sample."""
    assert all(isinstance(v, str) for v in sample("v2/settings").values())
    uid = _ids(sandbox.sandbox)["uid"]
    with _client(sandbox, "2") as api:
        body = api.get(f"/stacks/{uid}/settings").json()["response"]
    assert isinstance(body, dict) and set(sample("v2/settings")) <= set(body)
    assert all(v is None or isinstance(v, str | int) and not isinstance(v, bool)
               for v in body.values())  # fmt: skip

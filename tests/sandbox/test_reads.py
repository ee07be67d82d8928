"""Read endpoints: envelope, pagination, both prefixes, ``.json``, field shapes.

Every object is read as raw JSON and held against the published samples
(:mod:`tests.contract.documented`), never through the client's models.
"""

from __future__ import annotations

import re

import pytest

from c66tui.sandbox import seed
from tests.contract.documented import (
    BROKEN,
    DEPLOY_FAILED,
    DEPLOYING,
    HEALTH,
    HEALTHY,
    JOB_STATUS,
    STACK_STATUS,
    TRIGGERED_VIA,
    like_sample,
    meaning,
    moment,
    seconds_between,
)

Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")
WORDS = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$")


def _all_stacks(api):
    first = api.get("/stacks").json()
    second = api.get("/stacks", params={"page": 2}).json()
    return first, second


def test_stack_list_envelope_and_pagination(api):
    first, second = _all_stacks(api)
    assert first["count"] == 30 and len(first["response"]) == 30
    assert first["pagination"] == {
        "previous": None,
        "next": 2,
        "current": 1,
        "per_page": 30,
        "count": 40,
        "pages": 2,
    }
    assert second["count"] == 10
    assert second["pagination"]["previous"] == 1 and second["pagination"]["next"] is None
    names = [s["name"] for s in first["response"] + second["response"]]
    assert names == sorted(names, key=str.casefold)
    assert len(set(names)) == 40


def test_out_of_range_page_is_empty(api):
    body = api.get("/stacks", params={"page": 9}).json()
    assert body["response"] == [] and body["count"] == 0
    assert body["pagination"]["next"] is None
    assert body["pagination"]["previous"] == 2
    assert body["pagination"]["count"] == 40


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "\u00b2", "\u0661", "9" * 12])
def test_invalid_page_is_bad_request(api, page):
    answer = api.get("/stacks", params={"page": page})
    assert answer.status_code == 400
    assert answer.json()["error"] == "bad_request"


@pytest.mark.parametrize(
    "path",
    [
        "/api/2/stacks",
        "/api/2/stacks.json",
        "/api/3/stacks",
        "/api/3/stacks.json",
        "/api/2/stacks/",
        "/api/3/stacks/",
    ],
)
def test_both_prefixes_with_and_without_json(root, path):
    answer = root.get(path, headers={"Authorization": "Bearer sandbox-demo-token"})
    assert answer.status_code == 200
    assert answer.json()["pagination"]["count"] == 40


def test_stack_object_fields_and_timestamp_forms(api, uid):
    stack = api.get(f"/stacks/{uid(seed.HISTORY_STACK)}.json").json()["response"]
    for key in (
        "uid",
        "name",
        "git",
        "git_branch",
        "environment",
        "cloud",
        "fqdn",
        "language",
        "framework",
        "status",
        "health",
        "maintenance_mode",
        "has_loadbalancer",
        "deploy_directory",
        "cloud_status",
        "redeploy_hook",
        "account_name",
    ):
        assert key in stack, key
    for key in ("is_busy",):  # not sent by the real service: busy comes from the status
        assert key not in stack, key
    assert re.fullmatch(r"[0-9a-f]{32}", stack["uid"])
    assert OFFSET.match(stack["last_activity"]) and OFFSET.match(stack["last_activity_iso"])
    assert WORDS.match(stack["created_at"]) and WORDS.match(stack["updated_at"])
    assert Z.match(stack["created_at_iso"]) and Z.match(stack["updated_at_iso"])
    like_sample("v3/stack_get", stack, "stack")
    assert moment(stack["last_activity"], "offset") == moment(stack["last_activity_iso"], "offset")
    assert moment(stack["created_at"], "words") == moment(stack["created_at_iso"])
    assert moment(stack["updated_at"], "words") == moment(stack["updated_at_iso"])
    assert stack["name"] == seed.HISTORY_STACK and stack["environment"] == "production"
    assert stack["account_name"] == "Acme Corp"
    assert stack["status"] in STACK_STATUS and stack["health"] in HEALTH


def test_redeploy_hook_needs_the_redeploy_scope(sandbox, uid):
    from tests.sandbox.conftest import token_client

    with token_client(sandbox, ["public"]) as client:
        stack = client.get(f"/stacks/{uid(seed.HISTORY_STACK)}").json()["response"]
    assert "redeploy_hook" not in stack


def test_seed_stacks_in_their_states(api, uid):
    def get(name):
        return api.get(f"/stacks/{uid(name)}").json()["response"]

    deploying = like_sample("v3/stack_get", get(seed.DEPLOYING_STACK), "stack")
    assert deploying["status"] == DEPLOYING
    head = api.get(f"/stacks/{uid(seed.DEPLOYING_STACK)}/deployments").json()["response"][0]
    like_sample("v3/deployments_list", head)
    assert head["is_deploying"] is True and head["finished_at"] is None
    assert head["outcome"] is None and moment(head["started_at"])
    failed = like_sample("v3/stack_get", get(seed.FAILED_STACK), "stack")
    assert failed["status"] == DEPLOY_FAILED and failed["health"] == BROKEN
    assert get(seed.MAINTENANCE_STACK)["maintenance_mode"] is True
    assert get(seed.MARKUP_STACK)["name"] == "legacy [bold]api[/bold]"
    accounts = {s["account_name"] for s in _all_stacks(api)[0]["response"]}
    assert accounts == {"Acme Corp", "Globex", "Initech"}
    envs = {s["environment"] for s in _all_stacks(api)[0]["response"]}
    assert envs == {"production", "staging", "development"}


def test_legacy_status_scalar(legacy, api, uid):
    get = legacy.get
    assert get(f"/stacks/{uid(seed.HISTORY_STACK)}/status").json() == {"response": "Healthy"}
    assert get(f"/stacks/{uid(seed.MAINTENANCE_STACK)}/status.json").json() == {
        "response": "Maintenance"
    }
    assert get(f"/stacks/{uid(seed.FAILED_STACK)}/status").json()["response"] == "Faulty"
    # Only the legacy pages document it: not part of the v3 surface.
    assert api.get(f"/stacks/{uid(seed.HISTORY_STACK)}/status").status_code == 404


def test_deployment_history_pages_and_durations(api, uid):
    stack = uid(seed.HISTORY_STACK)
    first = api.get(f"/stacks/{stack}/deployments").json()
    assert first["pagination"]["count"] == 42 and first["pagination"]["pages"] == 2
    second = api.get(f"/stacks/{stack}/deployments", params={"page": 2}).json()
    assert second["count"] == 12
    deployments = [
        like_sample("v3/deployments_list", d) for d in first["response"] + second["response"]
    ]
    ids = [d["id"] for d in deployments]
    assert ids == sorted(ids, reverse=True)
    durations = [seconds_between(d) for d in deployments]
    assert all(60 <= d <= 800 for d in durations)
    assert [d["is_live"] for d in deployments].count(True) == 1
    assert all(isinstance(d["is_live"], bool) and d["is_deploying"] is False for d in deployments)
    assert all(meaning(d["outcome"]) and meaning(d["deploy_type"]) for d in deployments)
    assert deployments[0]["is_live"] is True and meaning(deployments[0]["outcome"]) == "success"
    raw = first["response"][0]
    assert Z.match(raw["started_at"]) and raw["commit_url"].endswith(raw["git_hash"])
    assert meaning(raw["triggered_via"]) in TRIGGERED_VIA
    one = api.get(f"/stacks/{stack}/deployments/{raw['id']}.json").json()["response"]
    assert one == raw


def test_deployments_carry_only_documented_fields(api, uid):
    stack = uid(seed.HISTORY_STACK)
    for deployment in api.get(f"/stacks/{stack}/deployments").json()["response"]:
        for key in ("commit_message", "git_ref", "is_queued", "services"):
            assert key not in deployment, key


def test_servers_and_groups(api, uid):
    stack = uid(seed.HISTORY_STACK)
    groups = api.get(f"/stacks/{stack}/server_groups").json()["response"]
    assert {g["type"] for g in groups} >= {"rails", "redis"}
    assert all(like_sample("v3/server_groups_list", g) for g in groups)
    listed = api.get(f"/stacks/{stack}/servers").json()["response"]
    servers = [like_sample("v3/servers_list", s) for s in listed]
    assert len(servers) >= 3
    assert {s["server_group_id"] for s in servers} == {g["id"] for g in groups}
    assert all(s["health_state"] == HEALTHY for s in servers)
    one = api.get(f"/stacks/{stack}/servers/{servers[0]['uid']}").json()["response"]
    like_sample("v3/server_get", one)
    assert one["name"] == servers[0]["name"] and Z.match(one["created_at"])
    group = groups[0]
    assert api.get(f"/stacks/{stack}/server_groups/{group['id']}").json()["response"] == group
    # The group's server list is a legacy page only.
    assert api.get(f"/stacks/{stack}/server_groups/{group['id']}/servers").status_code == 404
    failed = api.get(f"/stacks/{uid(seed.FAILED_STACK)}/servers").json()["response"]
    assert any(s["health_state"] == BROKEN for s in failed)


def test_stack_settings_and_server_settings(api, uid):
    stack = uid(seed.HISTORY_STACK)
    settings = [
        like_sample("v3/settings_list", s)
        for s in api.get(f"/stacks/{stack}/settings").json()["response"]
    ]
    assert all(s["id"] == s["key"].replace(".", "-") for s in settings)
    keys = {s["key"] for s in settings}
    assert keys >= {
        "git.branch",
        "git.repository",
        "stack.name",
        "maintenance.mode",
        "allowed.web.source",
        "asset.prefix",
        "reconfigure.nginx",
    }
    name = next(s for s in settings if s["key"] == "stack.name")
    assert name["readonly"] is True and "DNS" in name["warning_text"]
    one = like_sample(
        "v3/setting_get", api.get(f"/stacks/{stack}/settings/git-branch").json()["response"]
    )
    assert one["key"] == "git.branch" and one["value"] == "main"
    server = api.get(f"/stacks/{stack}/servers").json()["response"][0]["uid"]
    server_settings = api.get(f"/stacks/{stack}/servers/{server}/settings").json()["response"]
    assert all(like_sample("v3/server_settings_list", s) for s in server_settings)
    assert "server.name" in {s["key"] for s in server_settings}
    single = api.get(f"/stacks/{stack}/servers/{server}/settings/server-name").json()["response"]
    assert like_sample("v3/server_setting_get", single)["key"] == "server.name"


def test_env_vars_need_a_second_page_and_have_flags(api, uid):
    stack = uid(seed.HISTORY_STACK)
    first = api.get(f"/stacks/{stack}/environments").json()
    assert first["pagination"]["pages"] == 2 and first["pagination"]["next"] == 2
    rest = api.get(f"/stacks/{stack}/environments", params={"page": 2}).json()["response"]
    env = [like_sample("v3/env_vars_list", e, "env_var") for e in first["response"] + rest]
    assert any(e["is_password"] is True for e in env)
    assert any(e["is_generated"] is True and e["readonly"] is False for e in env)
    assert any(e["readonly"] is True for e in env)
    assert any(e["history"] for e in env)
    by_id = api.get(f"/stacks/{stack}/environments/{env[0]['id']}").json()["response"]
    like_sample("v3/env_var_get", by_id, "env_var")
    assert by_id["key"] == env[0]["key"] and Z.match(by_id["created_at_iso"])


def test_jobs_with_types_states_and_markup(api, uid):
    stack = uid(seed.HISTORY_STACK)
    listed = api.get(f"/stacks/{stack}/jobs").json()["response"]
    jobs = [like_sample("2024/jobs_list", j, "job") for j in listed]
    assert any(j["name"] == "[red]purge[/red] caches" for j in jobs)
    raw = jobs[0]
    assert WORDS.match(raw["created_at"]) and isinstance(raw["params"], dict)
    one = like_sample(
        "2024/jobs_list", api.get(f"/stacks/{stack}/jobs/{raw['uid']}").json()["response"], "job"
    )
    assert one == raw
    types, statuses, paused = set(), set(), set()
    for page in (1, 2):
        for stack_json in api.get("/stacks", params={"page": page}).json()["response"]:
            for job in api.get(f"/stacks/{stack_json['uid']}/jobs").json()["response"]:
                types.add(job["type"])
                statuses.add(job["status"])
                paused.add(job["paused"])
    assert types == {"RakeJob", "DockerHostTaskJob", "DockerServiceTaskJob"}
    assert {2, 3} <= statuses <= JOB_STATUS and paused == {True, False}
    markup_jobs = api.get(f"/stacks/{uid(seed.MARKUP_STACK)}/jobs").json()["response"]
    assert any(seed.ESCAPE_TEXT in j["name"] for j in markup_jobs)


def test_jobs_filtered_by_the_server_they_run_on(api, uid):
    stack = uid(seed.HISTORY_STACK)
    everything = {j["uid"] for j in api.get(f"/stacks/{stack}/jobs").json()["response"]}
    servers = [s["uid"] for s in api.get(f"/stacks/{stack}/servers").json()["response"]]
    per_server = {
        server: {
            j["uid"]
            for j in api.get(f"/stacks/{stack}/jobs", params={"server_uid": server}).json()[
                "response"
            ]
        }
        for server in servers
    }
    # Every job runs on exactly one server: the filtered lists split the whole list.
    assert sorted(u for jobs in per_server.values() for u in jobs) == sorted(everything)
    assert any(not jobs for jobs in per_server.values()), "the database runs no job"
    answer = api.get(f"/stacks/{stack}/jobs", params={"server_uid": "0" * 32})
    assert answer.status_code == 404 and answer.json()["error"] == "not_found"


def test_actions_history(api, uid):
    listed = api.get(f"/stacks/{uid(seed.HISTORY_STACK)}/actions").json()["response"]
    actions = [like_sample("v3/actions_list", a, "action") for a in listed]
    assert actions and all(a["finished_success"] is True for a in actions)
    assert all(seconds_between(a) >= 0 for a in actions)
    ids = [a["id"] for a in actions]
    assert ids == sorted(ids, reverse=True)
    one = api.get(f"/stacks/{uid(seed.HISTORY_STACK)}/actions/{ids[0]}").json()["response"]
    assert like_sample("v3/action_get", one, "action") == actions[0]


def test_accounts_and_users(api):
    accounts = api.get("/accounts").json()
    assert accounts["count"] == 3
    assert all(like_sample("v3/accounts_list", a, "account") for a in accounts["response"])
    owners = {a["owner"] for a in accounts["response"]}
    assert "demo@example.com" in owners
    total = sum(a["stack_count"] for a in accounts["response"])
    assert total == 40
    one = api.get(f"/accounts/{accounts['response'][0]['id']}").json()["response"]
    assert like_sample("v3/account_get", one, "account") == accounts["response"][0]
    assert Z.match(one["created_at_iso"])
    users = [like_sample("v3/users_list", u) for u in api.get("/users").json()["response"]]
    assert "demo@example.com" in {u["email"] for u in users}
    assert [u["id"] for u in users] == sorted(u["id"] for u in users)
    one_user = api.get(f"/users/{users[1]['id']}").json()["response"]
    assert like_sample("v3/user_get", one_user) == users[1]
    assert api.get("/users/cloud_status").status_code == 404  # a legacy page only


def test_users_lists_a_minted_tokens_owner_in_id_order(sandbox):
    from tests.sandbox.conftest import token_client

    with token_client(sandbox, ["users"], email="alice@example.org") as client:
        users = client.get("/users").json()["response"]
    # Listed, but not first: nothing documents the caller coming first.
    assert users[-1]["email"] == "alice@example.org"
    assert [u["id"] for u in users] == sorted(u["id"] for u in users)


def test_head_request_gets_headers(api):
    answer = api.head("/stacks")
    assert answer.status_code == 200
    assert "x-ratelimit-remaining" in answer.headers


def test_legacy_surface_serves_its_documented_fields(legacy, uid):
    stack_uid = uid(seed.HISTORY_STACK)
    stack = legacy.get(f"/stacks/{stack_uid}").json()["response"]
    assert "created_at_iso" not in stack and "cloud_status" not in stack
    assert OFFSET.match(stack["created_at"]) and OFFSET.match(stack["last_activity"])
    settings = legacy.get(f"/stacks/{stack_uid}/settings.json").json()["response"]
    assert isinstance(settings, dict) and settings["git.branch"] == "main"
    assert settings["reconfigure.nginx"] in ("true", "false")
    servers = legacy.get(f"/stacks/{stack_uid}/servers").json()["response"]
    assert servers and "server_roles" not in servers[0] and "params" in servers[0]
    groups = legacy.get(f"/stacks/{stack_uid}/server_groups").json()["response"]
    assert all(isinstance(g["type"], int) for g in groups)
    members = legacy.get(f"/stacks/{stack_uid}/server_groups/{groups[0]['id']}/servers")
    assert members.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/stacks/{uid}/deployments",
        "/stacks/{uid}/environments",
        "/stacks/{uid}/jobs",
        "/stacks/{uid}/actions",
        "/stacks/{uid}/servers/{server}/settings",
        "/accounts",
        "/users",
    ],
)
def test_v3_only_resources_are_not_found_under_api_2(legacy, api, uid, path):
    stack_uid = uid(seed.HISTORY_STACK)
    server = api.get(f"/stacks/{stack_uid}/servers").json()["response"][0]["uid"]
    url = path.format(uid=stack_uid, server=server)
    answer = legacy.get(url)
    assert answer.status_code == 404 and answer.json()["error"] == "not_found"
    assert api.get(url).status_code == 200

"""The requests the official Go library sends, written down as data.

Taken from cloud66-oss/cloud66 at commit 7754813ac435e39396d851ab742aa97f0573ffdf
(2026-05-21): the client is built with ``NewClientConfig(base)`` (so every path is under
``base + "/api/3"``) and an OAuth Bearer token. ``NewRequest`` in ``cloud66.go`` sends:

* ``Accept: application/json``, a fresh ``Request-Id`` (a UUID) and ``User-Agent``
  (``<prefix>/<version> (<os>; <arch>)``) on every call; ``Content-Type:
  application/json`` only when there is a body (``json.Marshal`` of the struct: compact,
  fields in struct order, empty strings and nulls included); ``X-Account`` when the
  client has an account id;
* the query as ``key=value`` pairs joined by ``&`` without escaping, except the values
  the caller passed through ``url.QueryEscape`` (the stack list filters, listed in
  ``escape``);
* a paged list asks ``page=1`` first and reads ``pagination`` (``paged``).

Each entry names the Go method and file, the request, the struct its ``response`` is
decoded into (``answer``, see :mod:`golib_structs`; ``[]T`` for a list, ``Job`` for what
``JobFactory`` builds) and any scope beyond the demo token's. ``{name}`` marks a value the
replay fills in from the sandbox world (a stack uid, a job uid, an action id...).
"""

from __future__ import annotations

PAGE_1 = [("page", "1")]

DEFAULT_REDEPLOY_BODY = {
    "git_ref": "",
    "deploy_strategy": "",
    "rollout_strategy": None,
    "canary_percentage": None,
    "deployment_profile": "",
    "services": None,
}
"""``RedeployStack(uid, "", "", "", nil, nil, nil)``: what ``cx redeploy`` sends with no
options (the struct in ``stack.go``, every field marshalled)."""

REQUESTS: list[dict] = [
    # ping.go
    {"call": "UnauthenticatedPing", "source": "ping.go", "method": "GET", "path": "/ping.json",
     "answer": "GenericResponse", "no_token": True},
    {"call": "AuthenticatedPing", "source": "ping.go", "method": "GET",
     "path": "/ping/auth.json", "answer": "GenericResponse"},
    # stack.go
    {"call": "StackList", "source": "stack.go", "method": "GET", "path": "/stacks.json",
     "query": PAGE_1, "answer": "[]Stack", "paged": True},
    {"call": "StackListRemoteFilter", "source": "stack.go", "method": "GET",
     "path": "/stacks.json",
     "query": [("page", "1"), ("filter_name", "{stack_name}"),
               ("filter_environment", "{stack_environment}"), ("filter_git_repo", "{stack_git}"),
               ("filter_git_branch", "{stack_branch}")],
     "escape": ["filter_name", "filter_environment", "filter_git_repo", "filter_git_branch"],
     "answer": "[]Stack", "paged": True, "expect_count": 1},
    {"call": "StackListRemoteFilter (name only)", "source": "stack.go", "method": "GET",
     "path": "/stacks.json",
     "query": [("page", "1"), ("filter_name", "{stack_name}"), ("filter_environment", ""),
               ("filter_git_repo", ""), ("filter_git_branch", "")],
     "escape": ["filter_name", "filter_environment", "filter_git_repo", "filter_git_branch"],
     "answer": "[]Stack", "paged": True, "expect_count": 1},
    {"call": "FindStackByUid", "source": "stack.go", "method": "GET",
     "path": "/stacks/{stack}.json", "answer": "Stack"},
    {"call": "StackSettings", "source": "stack.go", "method": "GET",
     "path": "/stacks/{stack}/settings.json", "query": PAGE_1, "answer": "[]StackSetting",
     "paged": True},
    {"call": "StackEnvVars", "source": "stack.go", "method": "GET",
     "path": "/stacks/{stack}/environments.json", "query": PAGE_1, "answer": "[]StackEnvVar",
     "paged": True},
    {"call": "StackEnvVarsString (dotenv, user)", "source": "stack.go", "method": "GET",
     "path": "/stacks/{stack}/environments.json",
     "query": [("page", "1"), ("environments_format", "dotenv"), ("requested_types", "user")],
     "answer": "EnvVarsString"},
    {"call": "StackEnvVarsString (json, user+generated)", "source": "stack.go", "method": "GET",
     "path": "/stacks/{stack}/environments.json",
     "query": [("page", "1"), ("environments_format", "json"),
               ("requested_types", "user,generated")],
     "answer": "EnvVarsString"},
    {"call": "StackEnvVarNew", "source": "stack.go", "method": "POST",
     "path": "/stacks/{stack}/environments.json",
     "body": {"key": "REPLAY_NEW_KEY", "value": "1", "apply_strategy": ""},
     "answer": "AsyncResult"},
    {"call": "StackEnvVarSet", "source": "stack.go", "method": "PUT",
     "path": "/stacks/{stack}/environments/{env_key}.json",
     "body": {"value": "https://sentry.example/1", "apply_strategy": "deployment"},
     "answer": "AsyncResult"},
    {"call": "ManagedBackups", "source": "stack.go", "method": "GET",
     "path": "/stacks/{stack}/backups.json", "query": PAGE_1, "answer": "[]ManagedBackup",
     "paged": True},
    # backups.go (the double slash is the library's: "/files/" + "/" + extension)
    {"call": "GetBackupSegmentIndeces", "source": "backups.go", "method": "GET",
     "path": "/stacks/{stack}/backups/{backup}/files.json", "query": PAGE_1,
     "answer": "[]BackupSegmentIndex", "paged": True},
    {"call": "GetBackupSegment", "source": "backups.go", "method": "GET",
     "path": "/stacks/{stack}/backups/{backup}/files//tar.json", "answer": "BackupSegment"},
    {"call": "Set", "source": "stack.go", "method": "PUT",
     "path": "/stacks/{stack}/settings/asset-prefix.json", "body": {"value": "/static"},
     "answer": "AsyncResult"},
    {"call": "RedeployStack (defaults)", "source": "stack.go", "method": "POST",
     "path": "/stacks/{stack}/deployments.json", "body": DEFAULT_REDEPLOY_BODY,
     "answer": "RedeployResponse"},
    {"call": "RedeployStack (git ref)", "source": "stack.go", "method": "POST",
     "path": "/stacks/{stack}/deployments.json",
     "body": {**DEFAULT_REDEPLOY_BODY, "git_ref": "{stack_branch}"},
     "answer": "RedeployResponse"},
    {"call": "StackReboot", "source": "stack.go", "method": "POST",
     "path": "/stacks/{stack}/reboot_servers.json",
     "body": {"strategy": "parallel", "group": "web"}, "answer": "AsyncResult",
     "scopes": ["reboot"]},
    {"call": "InvokeStackAction", "source": "stack.go", "method": "POST",
     "path": "/stacks/{stack}/actions.json", "body": {"command": "clear_caches"},
     "answer": "AsyncResult"},
    {"call": "InvokeDbStackAction (db type)", "source": "stack.go", "method": "POST",
     "path": "/stacks/{stack}/actions.json",
     "body": {"command": "resync_slave_db", "server_uid": "{db_server}", "db_type": "{db_type}"},
     "answer": "AsyncResult"},
    # async.go
    {"call": "getStackAsyncAction", "source": "async.go", "method": "GET",
     "path": "/stacks/{stack}/actions/{action}.json", "answer": "AsyncResult"},
    # job.go
    {"call": "GetJobs", "source": "job.go", "method": "GET",
     "path": "/stacks/{job_stack}/jobs.json", "query": PAGE_1, "answer": "[]Job", "paged": True},
    {"call": "GetJobs (server)", "source": "job.go", "method": "GET",
     "path": "/stacks/{job_stack}/jobs.json",
     "query": [("page", "1"), ("server_uid", "{job_server}")], "answer": "[]Job", "paged": True},
    {"call": "GetJob (service task)", "source": "job.go", "method": "GET",
     "path": "/stacks/{job_stack}/jobs/{service_job}.json", "answer": "Job"},
    {"call": "RunJobNow (no arguments)", "source": "job.go", "method": "POST",
     "path": "/stacks/{job_stack}/jobs/{service_job}/run_now.json", "answer": "AsyncResult"},
    {"call": "RunJobNow (arguments)", "source": "job.go", "method": "POST",
     "path": "/stacks/{job_stack}/jobs/{service_job}/run_now.json",
     "body": {"job_args": "--verbose"}, "answer": "AsyncResult"},
    # server.go
    {"call": "Servers", "source": "server.go", "method": "GET",
     "path": "/stacks/{stack}/servers.json", "query": PAGE_1, "answer": "[]Server",
     "paged": True},
    {"call": "GetServer", "source": "server.go", "method": "GET",
     "path": "/stacks/{stack}/servers/{server}.json", "answer": "Server"},
    {"call": "ServerSettings", "source": "server.go", "method": "GET",
     "path": "/stacks/{stack}/servers/{server}/settings.json", "query": PAGE_1,
     "answer": "[]StackSetting", "paged": True},
    {"call": "ServerSet", "source": "server.go", "method": "PUT",
     "path": "/stacks/{stack}/servers/{server}/settings/server-timezone.json",
     "body": {"value": "Europe/London"}, "answer": "AsyncResult"},
    {"call": "ServerReboot", "source": "server.go", "method": "POST",
     "path": "/stacks/{stack}/servers/{server}/reboot_server.json", "answer": "AsyncResult",
     "scopes": ["reboot"]},
    # user.go
    {"call": "ListUsers", "source": "user.go", "method": "GET", "path": "/users.json",
     "query": PAGE_1, "answer": "[]User", "paged": True},
    {"call": "GetUser", "source": "user.go", "method": "GET", "path": "/users/{user}.json",
     "answer": "User"},
    # account.go
    {"call": "AccountInfos", "source": "account.go", "method": "GET", "path": "/accounts.json",
     "query": PAGE_1, "answer": "[]Account", "paged": True},
    {"call": "AccountInfos (X-Account)", "source": "account.go", "method": "GET",
     "path": "/accounts.json", "query": PAGE_1, "headers": {"X-Account": "{account}"},
     "answer": "[]Account", "paged": True},
    {"call": "AccountInfo", "source": "account.go", "method": "GET",
     "path": "/accounts/{account}.json", "query": [("include_servers", "false")],
     "answer": "Account"},
    {"call": "AccountInfo (servers)", "source": "account.go", "method": "GET",
     "path": "/accounts/{account}.json", "query": [("include_servers", "true")],
     "answer": "Account"},
    # configuration.go
    {"call": "ConfigurationList", "source": "configuration.go", "method": "GET",
     "path": "/stacks/{stack}/configuration.json", "query": PAGE_1,
     "answer": "[]Configuration", "paged": True},
    {"call": "ConfigurationDownload", "source": "configuration.go", "method": "GET",
     "path": "/stacks/{stack}/configuration/nginx/show.json", "answer": "Configuration"},
    # operation.go
    {"call": "OperationLogs", "source": "operation.go", "method": "GET",
     "path": "/operations/{action}/logs.json", "query": PAGE_1,
     "answer": "[]OperationLogEntry", "paged": True},
    {"call": "OperationLogs (filtered)", "source": "operation.go", "method": "GET",
     "path": "/operations/{action}/logs.json",
     "query": [("page", "1"), ("min_severity", "2"), ("include_children", "true")],
     "answer": "[]OperationLogEntry", "paged": True},
    # stack.go: Lease with nil arguments (what cx ssh sends first; LeaseSync then polls
    # GET /stacks/{stack}/actions/{id}.json every 2 s until finished_at is set and reads
    # *finished_success: see test_lease_sync_polls_the_action_to_its_end)
    {"call": "Lease (defaults)", "source": "stack.go", "method": "POST",
     "path": "/stacks/{stack}/firewalls.json",
     "body": {"ttl": 20, "from_ip": "AUTO", "port": 22, "server_id": ""},
     "answer": "AsyncResult"},
]  # fmt: skip

LEASE = next(entry for entry in REQUESTS if entry["call"] == "Lease (defaults)")
"""The lease request on its own (its action is also polled to the end)."""

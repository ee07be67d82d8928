"""What the published docs say an answer holds, as checks on raw JSON.

:func:`like_sample` holds one decoded answer (or one item of it) against a published
sample (``samples/``): every key of the sample with the same JSON type, and no key that
neither the sample nor another published source (:data:`EXTRAS`) names. The code tables
and the date forms below are the documented values; :func:`moment` reads a date only in a
form the docs print. None of this uses the client's models, so a field the client and the
sandbox both get wrong still fails here.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from tests.contract.published import extra_keys, sample, shape_problems

STACK_STATUS = {0, 1, 2, 3, 4, 5, 6, 7}
"""cloud66/help-api ``_stacks.md``, "Stack status values": 5 queued for deployment,
6 deploying, 1 deployed successfully, 2 deployment failed."""
QUEUED, DEPLOYING, DEPLOYED, DEPLOY_FAILED = 5, 6, 1, 2

HEALTH = {0, 1, 2, 3, 4}
"""cloud66/help-api ``_stacks.md``, "Stack health status values" (3 healthy, 4 failed);
servers' ``health_state`` uses the same codes (``_servers.md``)."""
HEALTHY, BROKEN = 3, 4

JOB_STATUS = {0, 1, 2, 3}
"""cloud66-oss/cloud66 ``job.go`` ``JobStatus``: 0 updated, 1 started, 2 success, 3 failed."""
JOB_STARTED, JOB_SUCCESS, JOB_FAILED = 1, 2, 3

TRIGGERED_VIA = {"web", "api", "toolbelt", "redeploy hook"}
"""Deployment ``triggered_via`` meanings the sandbox may send: ``web`` is the only one the
docs print (``_deployments.md``, code 0); the others name the other ways the docs start a
deploy (the API, the toolbelt, the redeploy hook) and have no published code."""

EXTRAS = {
    # cloud66-oss/cloud66 stack.go (Stack): the account and the cluster / version fields
    "stack": {
        "account_id", "account_name", "backend", "version", "revision", "namespaces",
        "is_cluster", "is_inside_cluster", "cluster_name", "application_address",
        "configstore_namespace",
    },
    "env_var": {"created_at_iso", "updated_at_iso"},  # cloud66-oss/cloud66 stack.go (StackEnvVar)
    "action": {"finished_result", "metadata"},  # 2024 docs _jobs.md (Pause job)
    "job": {"id", "paused"},  # cloud66-oss/cloud66 job.go (basicJob); 2024 docs _jobs.md
    # cloud66-oss/cloud66 account.go (Account)
    "account": {
        "friendly_name", "created_at", "updated_at", "current_account", "configstore_namespace",
    },
}  # fmt: skip
"""Keys an answer may hold beyond a sample, each named by another published source."""

OPAQUE = {"params"}
"""Objects whose keys depend on the cloud vendor or job type (compared as objects only)."""

ANY_TYPE = {"value"}
"""Keys whose type varies by item (a setting's value: text, true/false or null)."""

FORMS = {
    "z": (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"), "%Y-%m-%dT%H:%M:%SZ"),
    "offset": (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00"), "%Y-%m-%dT%H:%M:%S+00:00"),
    "words": (re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"), "%Y-%m-%d %H:%M:%S UTC"),
}
"""The date forms the samples print: ``2014-08-29T17:46:16Z`` (deployments, actions,
servers), ``2014-08-14T01:46:53+00:00`` (a stack's ``last_activity``, the legacy pages)
and ``2014-08-14 00:38:14 UTC`` (a stack's and a job's ``created_at``)."""


def moment(text: Any, form: str = "z") -> datetime:
    """The instant ``text`` names, which must be in the documented ``form``."""
    pattern, layout = FORMS[form]
    assert isinstance(text, str) and pattern.fullmatch(text), f"{text!r} is not a {form} date"
    return datetime.strptime(text, layout).replace(tzinfo=UTC)


def seconds_between(item: dict, start: str = "started_at", end: str = "finished_at") -> float:
    """Seconds from ``item[start]`` to ``item[end]`` (both documented ``Z`` dates)."""
    return (moment(item[end]) - moment(item[start])).total_seconds()


def _without(value: Any) -> Any:
    """``value`` with the opaque keys' contents emptied and the any-type keys nulled."""
    if isinstance(value, dict):
        return {
            k: ({} if k in OPAQUE else None if k in ANY_TYPE else _without(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_without(v) for v in value]
    return value


def check_body(expected: Any, body: Any, extras: set[str] = frozenset()) -> None:
    """A whole answer ``body`` against the sample ``expected``; legacy samples are printed
    without the ``response`` wrapper, so they are wrapped first."""
    if not (isinstance(expected, dict) and "response" in expected):
        expected = {"response": expected}
    problems = shape_problems(_without(expected), _without(body))
    assert not problems, problems
    want, got = expected["response"], body["response"]
    pairs = [(want[0], item) for item in got] if isinstance(want, list) and want else [(want, got)]
    for one_want, one_got in pairs:
        if isinstance(one_want, dict):
            extra = extra_keys(one_want, one_got) - extras
            assert not extra, f"keys no published source names: {sorted(extra)}"


def like_sample(name: str, item: dict, kind: str | None = None) -> dict:
    """``item`` (one object of an answer), checked against the object of sample ``name``
    (the first item of a list sample) with the extras of ``kind``; returned as it is."""
    documented = sample(name)
    documented = documented.get("response", documented)
    if isinstance(documented, list):
        documented = documented[0]
    check_body({"response": documented}, {"response": item}, EXTRAS.get(kind, set()))
    return item


PAIR_CODES = {"success": 1, "web": 0, "build": 0}
"""The codes the deployment samples print beside a meaning (``outcome`` success 1,
``triggered_via`` web 0, ``deploy_type`` build 0, ``_deployments.md``)."""


def meaning(pair: Any) -> str:
    """The ``meaning`` of a documented ``{code, meaning}`` pair (checked to be one, with
    the published code where the docs print one)."""
    assert isinstance(pair, dict) and set(pair) == {"code", "meaning"}, pair
    assert isinstance(pair["code"], int) and isinstance(pair["meaning"], str), pair
    if pair["meaning"] in PAIR_CODES:
        assert pair["code"] == PAIR_CODES[pair["meaning"]], pair
    return pair["meaning"]

"""The JSON shapes of ``--json``: stable snake_case keys, times in ISO 8601 (UTC).

The README's "Scripting" section documents these keys; change them only by adding.
"""

from __future__ import annotations

from typing import Any

from c66tui.api.models import Action, Deployment, EnvVar, Job, Server, Setting, Stack
from c66tui.commands.output import pick
from c66tui.ops.deploy_state import deployment_phase


def stack_doc(stack: Stack) -> dict[str, Any]:
    """A stack: ``uid``, ``name``, ``environment``, ``status``, ``health``, ``maintenance``,
    ``last_activity`` and a few more."""
    return pick(
        stack,
        "uid",
        "name",
        "environment",
        "status=status_name",
        "status_code=status",
        "health=health_name",
        "health_code=health",
        "maintenance=maintenance_mode",
        "deploying=is_deploying",
        "last_activity",
        "account=account_name",
        "git_branch",
        "fqdn",
        "cloud",
    )


def stack_ref(stack: Stack) -> dict[str, Any]:
    """The short form of a stack inside a write's document."""
    return pick(stack, "uid", "name", "environment")


def deployment_doc(deployment: Deployment | None) -> dict[str, Any] | None:
    if deployment is None:
        return None
    return {
        "id": deployment.id,
        "status": deployment_phase(deployment),
        "outcome": deployment.outcome or None,
        **pick(deployment, "triggered_by", "triggered_via", "started_at", "finished_at"),
        **pick(deployment, "duration_seconds", "git_hash", "is_live"),
    }


def action_doc(action: Action | None) -> dict[str, Any] | None:
    if action is None:
        return None
    status = "running"
    if action.is_finished:
        status = "failed" if action.finished_success is False else "success"
    return {
        **pick(action, "id", "action"),
        "status": status,
        **pick(action, "user", "started_at", "finished_at", "finished_success"),
        "message": action.finished_message,
    }


def server_doc(server: Server) -> dict[str, Any]:
    return pick(
        server,
        "uid",
        "name",
        "address",
        "roles=server_roles",
        "health=health_name",
        "type=server_type",
        "region",
        "dns_record",
    )


def job_doc(job: Job) -> dict[str, Any]:
    return pick(job, "uid", "name", "type", "cron", "status=status_name", "paused", "params")


def setting_doc(setting: Setting) -> dict[str, Any]:
    return {**pick(setting, "key", "value", "readonly"), "warning": setting.warning_text or None}


def env_var_doc(var: EnvVar, reveal: bool) -> dict[str, Any]:
    """A variable; a password's value is ``null`` (``masked: true``) unless revealed."""
    masked = var.is_password and not reveal
    return {
        "key": var.key,
        "value": None if masked else var.value,
        "masked": masked,
        **pick(var, "password=is_password", "readonly", "generated=is_generated", "updated_at"),
    }


def write_doc(
    operation: str,
    stack: Stack,
    outcome: str,
    message: str,
    *,
    request_id: str = "",
    entry_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A write's result: ``operation``, ``stack``, ``request_id``, ``outcome``
    (``ok``, ``failed``, ``unknown``, ``not_sent``), ``message``, ``journal_entry`` and
    whatever it produced (``deployment``, ``action``, ``check``)."""
    return {
        "operation": operation,
        "stack": stack_ref(stack),
        "request_id": request_id or None,
        "outcome": outcome,
        "message": message,
        "journal_entry": entry_id,
        **extra,
    }


def result_doc(operation: str, stack: Stack, result: Any, **extra: Any) -> dict[str, Any]:
    """:func:`write_doc` of a settings-style write's result (a ``WriteResult`` of
    :mod:`c66tui.ops.setting_writes`), with the action it started."""
    return write_doc(
        operation,
        stack,
        result.outcome,
        result.message,
        request_id=result.request_id,
        entry_id=result.entry_id or None,
        **extra,
        action=action_doc(result.action),
    )

"""The JSON shapes of ``--json``: stable snake_case keys, times in ISO 8601 (UTC).

The README's "Scripting" section documents these keys; change them only by adding.
"""

from __future__ import annotations

from typing import Any

from c66tui.api.models import Action, Deployment, EnvVar, Job, Server, Setting, Stack
from c66tui.commands.output import iso
from c66tui.ops.deploy_state import deployment_phase


def stack_doc(stack: Stack) -> dict[str, Any]:
    """A stack: ``uid``, ``name``, ``environment``, ``status``, ``health``, ``maintenance``,
    ``last_activity`` and a few more."""
    return {
        "uid": stack.uid,
        "name": stack.name,
        "environment": stack.environment,
        "status": stack.status_name,
        "status_code": stack.status,
        "health": stack.health_name,
        "health_code": stack.health,
        "maintenance": stack.maintenance_mode,
        "deploying": stack.is_deploying,
        "last_activity": iso(stack.last_activity),
        "account": stack.account_name,
        "git_branch": stack.git_branch,
        "fqdn": stack.fqdn,
        "cloud": stack.cloud,
    }


def stack_ref(stack: Stack) -> dict[str, Any]:
    """The short form of a stack inside a write's document."""
    return {"uid": stack.uid, "name": stack.name, "environment": stack.environment}


def deployment_doc(deployment: Deployment | None) -> dict[str, Any] | None:
    if deployment is None:
        return None
    return {
        "id": deployment.id,
        "status": deployment_phase(deployment),
        "outcome": deployment.outcome or None,
        "triggered_by": deployment.triggered_by,
        "triggered_via": deployment.triggered_via,
        "started_at": iso(deployment.started_at),
        "finished_at": iso(deployment.finished_at),
        "duration_seconds": deployment.duration_seconds,
        "git_hash": deployment.git_hash,
        "is_live": deployment.is_live,
    }


def action_doc(action: Action | None) -> dict[str, Any] | None:
    if action is None:
        return None
    status = "running"
    if action.is_finished:
        status = "failed" if action.finished_success is False else "success"
    return {
        "id": action.id,
        "action": action.action,
        "status": status,
        "user": action.user,
        "started_at": iso(action.started_at),
        "finished_at": iso(action.finished_at),
        "finished_success": action.finished_success,
        "message": action.finished_message,
    }


def server_doc(server: Server) -> dict[str, Any]:
    return {
        "uid": server.uid,
        "name": server.name,
        "address": server.address,
        "roles": list(server.server_roles),
        "health": server.health_name,
        "type": server.server_type,
        "region": server.region,
        "dns_record": server.dns_record,
    }


def job_doc(job: Job) -> dict[str, Any]:
    return {
        "uid": job.uid,
        "name": job.name,
        "type": job.type,
        "cron": job.cron,
        "status": job.status_name,
        "paused": job.paused,
        "params": dict(job.params),
    }


def setting_doc(setting: Setting) -> dict[str, Any]:
    return {
        "key": setting.key,
        "value": setting.value,
        "readonly": setting.readonly,
        "warning": setting.warning_text or None,
    }


def env_var_doc(var: EnvVar, reveal: bool) -> dict[str, Any]:
    """A variable; a password's value is ``null`` (``masked: true``) unless revealed."""
    masked = var.is_password and not reveal
    return {
        "key": var.key,
        "value": None if masked else var.value,
        "masked": masked,
        "password": var.is_password,
        "readonly": var.readonly,
        "generated": var.is_generated,
        "updated_at": iso(var.updated_at),
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

"""Typed views of the Cloud 66 API objects.

Each model declares its fields; :meth:`~c66tui.api.fields.ApiModel.from_api` reads them
from an API object, tolerating missing and extra keys, parsing every timestamp form the
API uses and mapping status/health codes to names with an ``unknown (N)`` fallback. The
raw object is kept in ``raw`` for fields we do not model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from .fields import (
    ApiModel,
    Reader,
    as_text,
    code_name,
    first_text,
    flag_or,
    meaning,
    stripped,
)

STACK_STATUS = {
    0: "pending analysis",
    1: "deployed",
    2: "deploy failed",
    3: "analysing",
    4: "analysed",
    5: "queued",
    6: "deploying",
    7: "unable to analyse",
}
"""Stack ``status`` codes to short names (reference 3.1)."""

HEALTH = {0: "unknown", 1: "building", 2: "impaired", 3: "healthy", 4: "failed"}
"""Stack ``health`` and server ``health_state`` codes to names."""

JOB_STATUS = {0: "updated", 1: "started", 2: "success", 3: "failed"}
"""Job ``status`` codes to names."""

BUSY_STATUSES = frozenset({5, 6})
"""Stack statuses during which a redeploy would be queued behind another."""


def _setting_id(data: dict, name: str) -> str:
    """The setting's path id, or its key in dashed form when the API sent none."""
    return as_text(data.get(name)) or as_text(data.get("key")).replace(".", "-")


def _history(data: dict, name: str) -> tuple[dict, ...]:
    value = data.get(name)
    return tuple(h for h in value if isinstance(h, dict)) if isinstance(value, list) else ()


def _params(data: dict, name: str) -> dict:
    value = data.get(name)
    return dict(value) if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class Account(ApiModel):
    """An account the token can see (``GET /accounts``)."""

    id: int | None
    owner: str
    stack_count: int | None = None
    used_clouds: tuple[str, ...] = ()
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    READERS: ClassVar[dict[str, Reader]] = {"owner": first_text("owner", "email")}


@dataclass(frozen=True, slots=True)
class User(ApiModel):
    """A user (``GET /users``)."""

    id: int | None
    email: str
    primary_account_id: int | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Stack(ApiModel):
    """A stack (``GET /stacks``)."""

    uid: str
    name: str
    environment: str = ""
    status: int | None = None
    health: int | None = None
    maintenance_mode: bool = False
    last_activity: datetime | None = None
    git: str = ""
    git_branch: str = ""
    cloud: str = ""
    fqdn: str = ""
    framework: str = ""
    account_name: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def status_name(self) -> str:
        return code_name(STACK_STATUS, self.status)

    @property
    def health_name(self) -> str:
        return code_name(HEALTH, self.health)

    @property
    def is_deploying(self) -> bool:
        """True while a deploy is queued or running (a redeploy now would be queued):
        derived from the documented ``status`` codes 5 and 6."""
        return self.status in BUSY_STATUSES

    @property
    def is_production(self) -> bool:
        return self.environment.strip().lower() in {"production", "prod"}


@dataclass(frozen=True, slots=True)
class Deployment(ApiModel):
    """One deployment of a stack (``GET /stacks/{uid}/deployments``)."""

    id: int | None
    triggered_by: str = ""
    triggered_via: str = ""
    started_at: datetime | None = None
    finished_at: datetime | None = None
    outcome: str = ""
    git_hash: str = ""
    is_head: bool = False
    is_live: bool = False
    is_deploying: bool = False
    commit_url: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    READERS: ClassVar[dict[str, Reader]] = {"triggered_via": meaning, "outcome": meaning}

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return max(0.0, (self.finished_at - self.started_at).total_seconds())

    @property
    def short_hash(self) -> str:
        return self.git_hash[:7]

    @property
    def succeeded(self) -> bool:
        return self.outcome.lower() == "success"


@dataclass(frozen=True, slots=True)
class RedeployResult(ApiModel):
    """The answer to a redeploy request: ``ok``, ``message`` and, when sent, the
    ``queued`` flag and the ``async_action_id`` to follow."""

    ok: bool
    message: str = ""
    queued: bool = False
    async_action_id: int | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    READERS: ClassVar[dict[str, Reader]] = {"ok": flag_or(True)}


@dataclass(frozen=True, slots=True)
class Action(ApiModel):
    """An asynchronous action (``/stacks/{uid}/actions``). Finished once ``finished_at`` is set."""

    id: int | None
    action: str = ""
    user: str = ""
    resource_type: str = ""
    resource_id: str = ""
    started_via: str = ""
    started_at: datetime | None = None
    finished_at: datetime | None = None
    finished_success: bool | None = None
    finished_message: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None or self.finished_success is not None


@dataclass(frozen=True, slots=True)
class Server(ApiModel):
    """A server of a stack (``GET /stacks/{uid}/servers``)."""

    uid: str
    name: str
    address: str = ""
    server_group_id: int | None = None
    server_roles: tuple[str, ...] = ()
    health_state: int | None = None
    server_type: str = ""
    distro: str = ""
    distro_version: str = ""
    region: str = ""
    dns_record: str = ""
    ext_ipv4: str = ""
    int_ipv4: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    READERS: ClassVar[dict[str, Reader]] = {"server_type": stripped}

    @property
    def health_name(self) -> str:
        return code_name(HEALTH, self.health_state)


@dataclass(frozen=True, slots=True)
class ServerGroup(ApiModel):
    """A server group (``GET /stacks/{uid}/server_groups``)."""

    id: int | None
    name: str
    type: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Setting(ApiModel):
    """A stack or server setting. ``id`` is the dashed form used in paths (``git-branch``)."""

    key: str
    value: Any = None
    id: str = ""
    readonly: bool = False
    warning_text: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    READERS: ClassVar[dict[str, Reader]] = {"id": _setting_id}

    @property
    def path_id(self) -> str:
        return self.id or self.key.replace(".", "-")

    @property
    def display_value(self) -> str:
        if self.value is None:
            return ""
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return str(self.value)


@dataclass(frozen=True, slots=True)
class EnvVar(ApiModel):
    """An environment variable of a stack (``GET /stacks/{uid}/environments``)."""

    id: int | None
    key: str
    value: Any = None
    readonly: bool = False
    is_password: bool = False
    is_generated: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None
    history: tuple[dict, ...] = ()
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    READERS: ClassVar[dict[str, Reader]] = {"history": _history}

    @property
    def display_value(self) -> str:
        return "" if self.value is None else str(self.value)

    @property
    def is_writable(self) -> bool:
        """Whether its value can be changed: every variable that is not ``readonly``
        (generated ones too, e.g. to rotate a generated password)."""
        return not self.readonly

    @property
    def is_deletable(self) -> bool:
        """Whether it can be deleted: not ``readonly`` and not generated by Cloud 66."""
        return not (self.readonly or self.is_generated)


@dataclass(frozen=True, slots=True)
class Job(ApiModel):
    """A scheduled job of a stack (``GET /stacks/{uid}/jobs``)."""

    uid: str
    name: str
    type: str = ""
    cron: str = ""
    status: int | None = None
    params: dict = field(default_factory=dict)
    paused: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    READERS: ClassVar[dict[str, Reader]] = {"params": _params}

    @property
    def status_name(self) -> str:
        return code_name(JOB_STATUS, self.status)

    @property
    def params_text(self) -> str:
        """Parameters as ``key=value`` pairs, the command or task first."""
        return " ".join(f"{k}={v}" for k, v in self.params.items())


@dataclass(frozen=True, slots=True)
class RateLimit:
    """What the last response said about the hourly request budget."""

    limit: int | None = None
    remaining: int | None = None
    observed_at: datetime | None = None

    @property
    def fraction_left(self) -> float | None:
        if not self.limit or self.remaining is None:
            return None
        return max(0.0, min(1.0, self.remaining / self.limit))

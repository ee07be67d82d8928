"""Typed views of the Cloud 66 API objects.

Each model has a ``from_api(dict)`` constructor that tolerates missing and extra fields,
parses every timestamp form the API uses, and maps status/health codes to names with an
``unknown (N)`` fallback. The raw dict is kept in ``raw`` for fields we do not model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

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


def code_name(table: dict[int, str], code: Any) -> str:
    """Name for a numeric code, or ``unknown (N)`` for codes we have never seen."""
    try:
        number = int(code)
    except (TypeError, ValueError):
        return "unknown" if code is None else f"unknown ({code})"
    return table.get(number, f"unknown ({number})")


_UTC_SUFFIX = re.compile(r"\s+UTC$")
_FRACTION = re.compile(r"\.(\d+)")


def parse_time(value: Any) -> datetime | None:
    """Parse any timestamp form the API uses into an aware UTC datetime.

    Accepts ``2014-08-29T17:21:47Z``, ``2014-08-14T01:46:53+00:00``,
    ``2014-08-14 00:38:14 UTC``, nanosecond fractions (``.988310784Z``), epoch numbers
    and ``None``. Anything unparseable gives ``None`` rather than an exception.
    """
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    text = _UTC_SUFFIX.sub("+00:00", text)
    if text.endswith("Z") or text.endswith("z"):
        text = text[:-1] + "+00:00"
    # Python's fromisoformat accepts at most 6 fractional digits.
    text = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), text, count=1)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _time(data: dict, *names: str) -> datetime | None:
    """First parseable timestamp among ``names`` (``*_iso`` twins are listed first)."""
    for name in names:
        parsed = parse_time(data.get(name))
        if parsed is not None:
            return parsed
    return None


def _str(value: Any, default: str = "") -> str:
    if value is None:
        return default
    return value if isinstance(value, str) else str(value)


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _int(value: Any, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _meaning(value: Any) -> str:
    """The ``meaning`` of a ``{code, meaning}`` pair, tolerating plain strings."""
    if isinstance(value, dict):
        return _str(value.get("meaning") or value.get("code"), "")
    return _str(value, "")


@dataclass(frozen=True, slots=True)
class Account:
    """An account the token can see (``GET /accounts``)."""

    id: int | None
    owner: str
    stack_count: int | None = None
    used_clouds: tuple[str, ...] = ()
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_api(cls, data: dict) -> Account:
        return cls(
            id=_int(data.get("id")),
            owner=_str(data.get("owner") or data.get("email")),
            stack_count=_int(data.get("stack_count")),
            used_clouds=tuple(_str(c) for c in data.get("used_clouds") or ()),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class User:
    """A user (``GET /users``)."""

    id: int | None
    email: str
    primary_account_id: int | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_api(cls, data: dict) -> User:
        return cls(
            id=_int(data.get("id")),
            email=_str(data.get("email")),
            primary_account_id=_int(data.get("primary_account_id")),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class Stack:
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

    @classmethod
    def from_api(cls, data: dict) -> Stack:
        status = _int(data.get("status"))
        return cls(
            uid=_str(data.get("uid")),
            name=_str(data.get("name")),
            environment=_str(data.get("environment")),
            status=status,
            health=_int(data.get("health")),
            maintenance_mode=_bool(data.get("maintenance_mode")),
            last_activity=_time(data, "last_activity_iso", "last_activity"),
            git=_str(data.get("git")),
            git_branch=_str(data.get("git_branch")),
            cloud=_str(data.get("cloud")),
            fqdn=_str(data.get("fqdn")),
            framework=_str(data.get("framework")),
            account_name=_str(data.get("account_name")),
            created_at=_time(data, "created_at_iso", "created_at"),
            updated_at=_time(data, "updated_at_iso", "updated_at"),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class Deployment:
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

    @classmethod
    def from_api(cls, data: dict) -> Deployment:
        return cls(
            id=_int(data.get("id")),
            triggered_by=_str(data.get("triggered_by")),
            triggered_via=_meaning(data.get("triggered_via")),
            started_at=_time(data, "started_at_iso", "started_at"),
            finished_at=_time(data, "finished_at_iso", "finished_at"),
            outcome=_meaning(data.get("outcome")),
            git_hash=_str(data.get("git_hash")),
            is_head=_bool(data.get("is_head")),
            is_live=_bool(data.get("is_live")),
            is_deploying=_bool(data.get("is_deploying")),
            commit_url=_str(data.get("commit_url")),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class RedeployResult:
    """The answer to a redeploy request: ``ok``, ``message`` and, when sent, the
    ``queued`` flag and the ``async_action_id`` to follow."""

    ok: bool
    message: str = ""
    queued: bool = False
    async_action_id: int | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_api(cls, data: dict) -> RedeployResult:
        return cls(
            ok=_bool(data.get("ok", True)),
            message=_str(data.get("message")),
            queued=_bool(data.get("queued")),
            async_action_id=_int(data.get("async_action_id")),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class Action:
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

    @classmethod
    def from_api(cls, data: dict) -> Action:
        success = data.get("finished_success")
        return cls(
            id=_int(data.get("id")),
            action=_str(data.get("action")),
            user=_str(data.get("user")),
            resource_type=_str(data.get("resource_type")),
            resource_id=_str(data.get("resource_id")),
            started_via=_str(data.get("started_via")),
            started_at=_time(data, "started_at_iso", "started_at"),
            finished_at=_time(data, "finished_at_iso", "finished_at"),
            finished_success=None if success is None else _bool(success),
            finished_message=_str(data.get("finished_message")),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class Server:
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

    @property
    def health_name(self) -> str:
        return code_name(HEALTH, self.health_state)

    @classmethod
    def from_api(cls, data: dict) -> Server:
        return cls(
            uid=_str(data.get("uid")),
            name=_str(data.get("name")),
            address=_str(data.get("address")),
            server_group_id=_int(data.get("server_group_id")),
            server_roles=tuple(_str(r) for r in data.get("server_roles") or ()),
            health_state=_int(data.get("health_state")),
            server_type=_str(data.get("server_type")).strip(),
            distro=_str(data.get("distro")),
            distro_version=_str(data.get("distro_version")),
            region=_str(data.get("region")),
            dns_record=_str(data.get("dns_record")),
            ext_ipv4=_str(data.get("ext_ipv4")),
            int_ipv4=_str(data.get("int_ipv4")),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class ServerGroup:
    """A server group (``GET /stacks/{uid}/server_groups``)."""

    id: int | None
    name: str
    type: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_api(cls, data: dict) -> ServerGroup:
        return cls(
            id=_int(data.get("id")),
            name=_str(data.get("name")),
            type=_str(data.get("type")),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class Setting:
    """A stack or server setting. ``id`` is the dashed form used in paths (``git-branch``)."""

    key: str
    value: Any = None
    id: str = ""
    readonly: bool = False
    warning_text: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)

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

    @classmethod
    def from_api(cls, data: dict) -> Setting:
        key = _str(data.get("key"))
        return cls(
            key=key,
            value=data.get("value"),
            id=_str(data.get("id")) or key.replace(".", "-"),
            readonly=_bool(data.get("readonly")),
            warning_text=_str(data.get("warning_text")),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class EnvVar:
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

    @classmethod
    def from_api(cls, data: dict) -> EnvVar:
        history = data.get("history")
        return cls(
            id=_int(data.get("id")),
            key=_str(data.get("key")),
            value=data.get("value"),
            readonly=_bool(data.get("readonly")),
            is_password=_bool(data.get("is_password")),
            is_generated=_bool(data.get("is_generated")),
            created_at=_time(data, "created_at_iso", "created_at"),
            updated_at=_time(data, "updated_at_iso", "updated_at"),
            history=tuple(h for h in history if isinstance(h, dict))
            if isinstance(history, list)
            else (),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class Job:
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

    @property
    def status_name(self) -> str:
        return code_name(JOB_STATUS, self.status)

    @property
    def params_text(self) -> str:
        """Parameters as ``key=value`` pairs, the command or task first."""
        return " ".join(f"{k}={v}" for k, v in self.params.items())

    @classmethod
    def from_api(cls, data: dict) -> Job:
        params = data.get("params")
        return cls(
            uid=_str(data.get("uid")),
            name=_str(data.get("name")),
            type=_str(data.get("type")),
            cron=_str(data.get("cron")),
            status=_int(data.get("status")),
            params=dict(params) if isinstance(params, dict) else {},
            paused=_bool(data.get("paused")),
            created_at=_time(data, "created_at_iso", "created_at"),
            updated_at=_time(data, "updated_at_iso", "updated_at"),
            raw=data,
        )


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

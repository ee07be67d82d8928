"""In-memory records of the sandbox world and their API JSON renderings.

Records are plain mutable dataclasses; each has ``to_api()`` that renders the JSON the
real API sends for it, with each field's own timestamp form (reference section 2.4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from c66tui.sandbox.envelope import iso_offset, iso_z, utc_words

CLOUD_STATUS = {0: "unknown", 1: "building", 2: "partial", 3: "healthy", 4: "faulty"}
"""Stack health code to the lowercase ``cloud_status`` word."""

LEGACY_STATUS = {0: "Unknown", 1: "Unknown", 2: "Partial", 3: "Healthy", 4: "Faulty"}
"""Stack health code to the legacy ``/status`` word (``Maintenance`` overrides it)."""

TRIGGERED_VIA = {0: "web", 1: "api", 2: "toolbelt", 3: "redeploy hook"}
OUTCOMES = {1: "success", 2: "failed", 3: "cancelled"}


def same(record: Any, names: str) -> dict[str, Any]:
    """The attributes ``names`` (space-separated) of ``record``, each sent as it is under
    its own name (the fields a rendering passes through unchanged)."""
    return {name: getattr(record, name) for name in names.split()}


@dataclass(slots=True)
class AccountRec:
    id: int
    name: str
    owner: str
    created_at: float
    updated_at: float


@dataclass(slots=True)
class UserRec:
    id: int
    email: str
    primary_account_id: int
    role: str
    created_at: float
    last_login: float

    def to_api(self, stack_uids: list[str]) -> dict[str, Any]:
        admin = self.role == "Administrator"
        flags = (
            "can_create_stack can_admin_users can_payment can_add_cloud_key can_del_cloud_key "
            "can_view_acc_notifications can_edit_acc_notifications can_view_audit "
            "can_view_docker_img_key can_del_ssh_key can_edit_personal_token "
            "can_del_authorized_app can_view_custom_env can_edit_custom_env "
            "can_add_developers_app can_del_developers_app can_edit_git_key can_edit_gateway"
        ).split()
        return {
            **same(self, "id email primary_account_id"),
            "locked": False,
            "access_profile": {
                "account_profile": {
                    **{flag: admin for flag in flags},
                    "default_roles": [self.role],
                },
                "stack_profiles": [{"stack_uid": uid, "role": self.role} for uid in stack_uids],
            },
            "uses_tfa": self.id % 2 == 1,
            "timezone": "UTC",
            "has_valid_phone": False,
            "developer_program": admin,
            "github_login": True,
            "last_login": iso_z(self.last_login),
            "devices": [],
            "created_at": iso_z(self.created_at),
            "updated_at": iso_z(self.last_login),
            "cloud_status": "healthy",
        }


@dataclass(slots=True)
class GroupRec:
    id: int
    name: str
    type: str
    created_at: float

    def to_api(self) -> dict[str, Any]:
        return {
            **same(self, "id name type"),
            "created_at": iso_z(self.created_at),
            "updated_at": iso_z(self.created_at),
        }


@dataclass(slots=True)
class ServerRec:
    uid: str
    vendor_uid: str
    name: str
    address: str
    int_ipv4: str
    roles: list[str]
    group_id: int
    stack_uid: str
    cloud: str
    region: str
    size: str
    health_state: int
    dns_record: str
    created_at: float
    updated_at: float

    def to_api(self) -> dict[str, Any]:
        return {
            **same(self, "uid vendor_uid name address"),
            "distro": "ubuntu",
            "distro_version": "22.04",
            "dns_record": self.dns_record,
            "user_name": "root",
            "server_type": f"Cloud ({self.cloud}) ",
            "server_roles": list(self.roles),
            "server_group_id": self.group_id,
            "stack_uid": self.stack_uid,
            "has_agent": True,
            "params": {"size": self.size, "region": self.region, "ips": [self.address]},
            "created_at": iso_z(self.created_at),
            "updated_at": iso_z(self.updated_at),
            "region": self.region,
            "availability_zone": None,
            "health_state": self.health_state,
            "ext_ipv4": self.address,
            "int_ipv4": self.int_ipv4,
            "ext_ipv6": None,
            "int_ipv6": None,
        }


@dataclass(slots=True)
class SettingRec:
    key: str
    value: Any
    readonly: bool = False
    warning_text: str = ""

    @property
    def id(self) -> str:
        return self.key.replace(".", "-")

    def to_api(self) -> dict[str, Any]:
        """A stack setting as the settings list shows it."""
        return same(self, "id key value readonly warning_text")

    def to_server_api(self) -> dict[str, Any]:
        """A server setting as the server settings list shows it (no ``id``)."""
        return same(self, "key value readonly warning_text")


@dataclass(slots=True)
class EnvRec:
    id: int
    key: str
    value: Any
    created_at: float
    updated_at: float
    readonly: bool = False
    is_password: bool = False
    is_generated: bool = False
    history: list[dict[str, Any]] = field(default_factory=list)

    def to_api(self) -> dict[str, Any]:
        return {
            **same(self, "id key value readonly is_password is_generated"),
            "created_at": iso_z(self.created_at),
            "updated_at": iso_z(self.updated_at),
            "created_at_iso": iso_z(self.created_at),
            "updated_at_iso": iso_z(self.updated_at),
            "history": [
                {
                    "key": h["key"],
                    "value": h["value"],
                    "created_at": iso_z(h["created_at"]),
                    "updated_at": iso_z(h["updated_at"]),
                }
                for h in self.history
            ],
        }


@dataclass(slots=True)
class JobRec:
    id: int
    uid: str
    name: str
    type: str
    cron: str | None
    status: int
    params: dict[str, Any]
    paused: bool
    created_at: float
    updated_at: float
    last_run_at: float | None = None
    server_uid: str | None = None
    """The server the job runs on (not part of the job's API fields; used by the
    ``server_uid`` filter of the jobs list)."""

    def to_api(self) -> dict[str, Any]:
        return {
            **same(self, "id uid name type cron status"),
            "params": dict(self.params),
            "paused": self.paused,
            "created_at": utc_words(self.created_at),
            "updated_at": utc_words(self.updated_at),
        }


@dataclass(slots=True)
class ActionRec:
    id: int
    user: str
    action: str
    resource_type: str
    resource_id: str
    started_at: float
    started_via: str = "api"
    finished_at: float | None = None
    finished_success: bool | None = None
    finished_message: str | None = None
    finished_result: dict[str, Any] | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_api(self) -> dict[str, Any]:
        return {
            **same(self, "id user resource_type action resource_id started_via"),
            "started_at": iso_z(self.started_at),
            "finished_at": iso_z(self.finished_at),
            **same(self, "finished_success finished_message finished_result"),
            "metadata": dict(self.metadata),
        }


@dataclass(slots=True)
class DeployRec:
    id: int
    triggered_by: str
    via: int
    git_hash: str
    git_ref: str
    commit_url: str
    commit_message: str
    deploy_session: str
    started_at: float | None
    finished_at: float | None = None
    outcome: int | None = None
    is_head: bool = False
    is_live: bool = False
    is_deploying: bool = False
    is_queued: bool = False
    services: list[str] = field(default_factory=list)
    action_ids: list[int] = field(default_factory=list)
    created_at: float = 0.0

    def to_api(self) -> dict[str, Any]:
        return {
            **same(self, "id triggered_by"),
            "triggered_via": {"code": self.via, "meaning": TRIGGERED_VIA.get(self.via, "web")},
            "started_at": iso_z(self.started_at),
            "finished_at": iso_z(self.finished_at),
            "outcome": None
            if self.outcome is None
            else {"code": self.outcome, "meaning": OUTCOMES[self.outcome]},
            **same(self, "git_hash deploy_session"),
            "deploy_type": {"code": 0, "meaning": "build"},
            **same(self, "is_head is_live"),
            "reverted": None,
            "reverted_by": None,
            "reverted_at": None,
            "is_deploying": self.is_deploying,
            "commit_url": self.commit_url,
        }


@dataclass(slots=True)
class Details:
    """The per-stack collections, generated on first use."""

    groups: list[GroupRec]
    servers: list[ServerRec]
    settings: dict[str, SettingRec]
    server_settings: dict[str, dict[str, SettingRec]]
    env: list[EnvRec]
    jobs: list[JobRec]
    deployments: list[DeployRec]
    actions: list[ActionRec]
    next_env_id: int = 0
    running: DeployRec | None = None
    queued: DeployRec | None = None


STACK_BASICS = "uid name git git_branch environment cloud fqdn language framework status health"
"""The stack fields every generation sends as they are, in the documented order."""


@dataclass(slots=True)
class StackRec:
    index: int
    uid: str
    name: str
    account_id: int
    account_name: str
    environment: str
    cloud: str
    language: str
    framework: str
    git: str
    git_branch: str
    fqdn: str
    status: int
    health: int
    maintenance: bool
    has_loadbalancer: bool
    created_at: float
    updated_at: float
    last_activity: float
    redeploy_hook: str
    deploy_directory: str
    busy: bool = False
    details: Details | None = None

    def to_api(self, *, with_hook: bool) -> dict[str, Any]:
        return {
            **same(self, STACK_BASICS),
            "last_activity": iso_offset(self.last_activity),
            "last_activity_iso": iso_offset(self.last_activity),
            "maintenance_mode": self.maintenance,
            "has_loadbalancer": self.has_loadbalancer,
            "created_at": utc_words(self.created_at),
            "updated_at": utc_words(self.updated_at),
            "created_at_iso": iso_z(self.created_at),
            "updated_at_iso": iso_z(self.updated_at),
            "deploy_directory": self.deploy_directory,
            "cloud_status": CLOUD_STATUS.get(self.health, "unknown"),
            **same(self, "account_id account_name"),
            **({"redeploy_hook": self.redeploy_hook} if with_hook else {}),
        }

    @property
    def legacy_status(self) -> str:
        if self.maintenance:
            return "Maintenance"
        return LEGACY_STATUS.get(self.health, "Unknown")

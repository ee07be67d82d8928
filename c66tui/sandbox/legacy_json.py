"""The legacy v2 renderings of sandbox records (cloud66/help-old ``_posts/api/``).

The legacy pages document fewer fields than v3 and one timestamp form
(``2013-01-25T14:13:18+00:00``); these functions render exactly those fields.
"""

from __future__ import annotations

from typing import Any

from c66tui.sandbox.envelope import iso_offset
from c66tui.sandbox.records import (
    STACK_BASICS,
    GroupRec,
    ServerRec,
    SettingRec,
    StackRec,
    same,
)

GROUP_TYPES = {"rails": (0, 0), "mysql": (1, 1), "postgresql": (1, 2), "haproxy": (2, 0),
               "redis": (3, 0)}  # fmt: skip
"""v3 group ``type`` word to the legacy ``(type, sub_type)`` codes (servergroups list)."""


def stack(rec: StackRec, *, with_hook: bool) -> dict[str, Any]:
    """A stack as ``stack/2008-12-13-list.md`` documents it."""
    out: dict[str, Any] = {
        **same(rec, STACK_BASICS),
        "maintenance_mode": rec.maintenance,
        "deploy_directory": rec.deploy_directory,
        "last_activity": iso_offset(rec.last_activity),
        "updated_at": iso_offset(rec.updated_at),
        "created_at": iso_offset(rec.created_at),
    }
    if with_hook:
        out["redeploy_hook"] = rec.redeploy_hook
    return out


def server(rec: ServerRec) -> dict[str, Any]:
    """A server as ``server/2004-12-05-get.md`` documents it."""
    return {
        **same(rec, "uid vendor_uid name address"),
        "distro": "ubuntu",
        "distro_version": "14.04",
        "dns_record": rec.dns_record,
        "user_name": "root",
        "server_type": f"Cloud ({rec.cloud})",
        "params": {"size_id": rec.size, "ips": [rec.address], "region": rec.region},
        "created_at": iso_offset(rec.created_at),
        "updated_at": iso_offset(rec.updated_at),
    }


def group(rec: GroupRec) -> dict[str, Any]:
    """A server group as ``servergroups/2006-11-17-list.md`` documents it."""
    kind, sub = GROUP_TYPES.get(rec.type, (0, 0))
    return {
        **same(rec, "id name"),
        "type": kind,
        "sub_type": sub,
        "load_balancer": None,
        "updated_at": iso_offset(rec.created_at),
        "created_at": iso_offset(rec.created_at),
    }


def settings(recs: dict[str, SettingRec]) -> dict[str, Any]:
    """The settings as ``stack/2008-11-01-settings.md`` shows them: one object of
    ``key: value`` pairs, true/false as the words ``"true"``/``"false"``."""
    out: dict[str, Any] = {}
    for key in sorted(recs):
        value = recs[key].value
        out[key] = ("true" if value else "false") if isinstance(value, bool) else value
    return out

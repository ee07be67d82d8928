"""Request parameters whose rules the v3 and the legacy routes share: a redeploy's
``git_ref`` and a setting's new value (the same checks on ``/api/3`` and ``/api/2``)."""

from __future__ import annotations

from typing import Any

from c66tui.sandbox.envelope import bad_request
from c66tui.sandbox.records import SettingRec
from c66tui.sandbox.routing import Ctx, read_flag


def git_ref_param(ctx: Ctx) -> str | None:
    """The optional ``git_ref`` of a redeploy (400 unless a branch, tag or hash); an
    empty one, as the Go library sends by default, means the stack's branch, while one of
    only blanks is refused."""
    if ctx.raw("git_ref") == "":
        return None
    git_ref = ctx.text("git_ref")
    if git_ref is not None and (not git_ref.strip() or len(git_ref) > 250 or " " in git_ref):
        raise bad_request("Invalid parameter: git_ref", "git_ref must be a branch, tag or hash")
    return git_ref


def coerce_value(setting: SettingRec, value: Any) -> Any:
    """The new value in the setting's own type; 400 when missing or unreadable."""
    if value is None:
        raise bad_request("Missing parameter: value", "'value' is required")
    if isinstance(value, dict | list):
        raise bad_request("Invalid parameter: value", "value must be a scalar")
    if isinstance(setting.value, bool):
        flag = read_flag(value)
        if flag is None:
            raise bad_request("Invalid parameter: value", f"{setting.key} takes true or false")
        return flag
    text = value if isinstance(value, str) else str(value)
    if len(text) > 1000:
        raise bad_request("Invalid parameter: value", "value is too long")
    if setting.key in ("git.branch", "server.name") and not text.strip():
        raise bad_request("Invalid parameter: value", f"{setting.key} cannot be blank")
    if setting.value is None and not text.strip():
        return None
    return text

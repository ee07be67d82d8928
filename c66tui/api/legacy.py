"""Reading the answers of the legacy v2 requests (cloud66/help-old ``_posts/api/``).

The legacy writes answer an acknowledgement, ``{"ok": true, "message": "..."}`` (``ok`` is
the string ``"true"`` on the setting page), not an action to follow; the legacy settings
list is one object of ``key: value`` pairs. These helpers turn them into the same models
the v3 answers give, deriving only from the documented fields.
"""

from __future__ import annotations

from typing import Any

from .errors import UnexpectedResponseError
from .fields import as_flag, as_text
from .models import Action, Setting

_APPLIED_AT_ONCE = frozenset({"update_stack_setting", "set_maintenance_mode"})
"""Legacy writes documented as done when they answer (restart and redeploy are queued)."""


def action_from_ack(data: dict[str, Any], route_name: str) -> Action:
    """An :class:`Action` for a legacy acknowledgement.

    A setting or maintenance change is done when it is acknowledged: the action is
    finished, successful when ``ok`` is true. A queued restart has no action to follow:
    it is returned unfinished, with no id.
    """
    ok = as_flag(data.get("ok", True))
    message = as_text(data.get("message"))
    if route_name in _APPLIED_AT_ONCE or not ok:
        return Action(
            id=None,
            action=route_name,
            finished_success=ok,
            finished_message=message,
            raw=data,
        )
    return Action(id=None, action=route_name, finished_message=message, raw=data)


def settings_from_legacy(body: Any) -> list[Setting]:
    """Settings from the legacy answer: one object of ``key: value`` pairs (wrapped in
    ``response`` or not). A v3-style list is read as well."""
    data = body.get("response", body) if isinstance(body, dict) else body
    if isinstance(data, list):
        return [Setting.from_api(i) for i in data if isinstance(i, dict)]
    if not isinstance(data, dict):
        raise UnexpectedResponseError(
            "Cloud 66 sent the stack settings in an unexpected shape (expected one object)."
        )
    return [Setting.from_api({"key": str(k), "value": v}) for k, v in sorted(data.items())]

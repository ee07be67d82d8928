"""Whether the redeploy and cancel keys may act now, and saying why not.

While a stack's redeploy (or cancel) is being confirmed, sent or has just been sent, the
screens' ``check_action`` use :func:`write_key_state`, so the key shows greyed out and does
nothing, and :func:`explain_disabled_key` says why when it is pressed (the app's one
scheme for greyed-out keys, :mod:`c66tui.ui.key_reasons`). The footer asks on the first
frame, so this lives apart from the redeploy dialogs and flows
(:mod:`c66tui.ui.dialogs.redeploy`), which load when a key first needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from c66tui.ops.redeploy import controller_for
from c66tui.text import sanitize
from c66tui.ui.context import services_of
from c66tui.ui.key_reasons import greyed, greyed_reason

if TYPE_CHECKING:
    from c66tui.api.models import Stack


def write_key_reason(services: Any, stack: Stack | None, action: str) -> str | None:
    """Why the redeploy (``action="redeploy"``) or cancel (``"cancel_deploy"``) key must
    do nothing for ``stack`` now: not allowed, or that stack's write of the same kind is
    waiting for confirmation, on the wire, or was just sent. ``None`` when it may."""
    reason = services.permission("redeploy")
    if reason:
        return f"Redeploy and cancel are disabled: {reason}."
    if stack is None:
        return None
    kind = "cancel" if action == "cancel_deploy" else "redeploy"
    busy = controller_for(services).busy_reason(stack.uid, kind)
    return f"{sanitize(stack.name)}: {busy}." if busy else None


def write_key_state(screen: Any, action: str, stack: Stack | None) -> bool | None:
    """``check_action``'s answer for a redeploy or cancel key on ``stack``: ``True``, or
    ``None`` to show the key greyed out (the reason is kept for :func:`explain_disabled_key`)."""
    return greyed(screen, action, write_key_reason(services_of(screen.app), stack, action))


def explain_disabled_key(screen: Any, key: str, actions: tuple[str, ...]) -> bool:
    """If ``key`` is bound on ``screen`` to one of ``actions`` and its key is greyed out,
    say why (the footer only greys the key out). Returns whether it did."""
    for binding in screen._bindings.key_to_bindings.get(key, ()):
        if binding.action not in actions:
            continue
        if screen.check_action(binding.action, ()) is not None:
            return False
        reason = greyed_reason(screen, binding.action)
        if not reason:
            reason = "Redeploy and cancel are not available here now."
        screen.notify(reason, severity="warning", markup=False, timeout=3)
        return True
    return False


def refresh_write_keys(app: Any) -> None:
    """Re-evaluate the redeploy/cancel keys of every open screen (greyed or not)."""
    for screen in list(getattr(app, "screen_stack", ())):
        screen.refresh_bindings()


def refresh_after_cooldown(app: Any, seconds: float) -> None:
    """The keys come back once a just-sent write's cool-down is over."""
    app.set_timer(seconds + 0.05, lambda: refresh_write_keys(app))

"""One scheme for keys that are greyed out, and why.

Textual's own scheme decides how a key looks: a node's ``check_action`` answers ``True``
(the key works), ``False`` (hidden from the footer) or ``None`` (shown greyed out, does
nothing). c66tui adds the reason, in one place:

- ``check_action`` answers ``greyed(self, action, reason)``: ``True`` when ``reason`` is
  ``None``, else ``None``, and the reason is remembered for that node and action;
- the footer shows a greyed-out key with its reason as the tooltip
  (:func:`greyed_reason`);
- pressing a greyed-out key says why: the screen's ``on_key`` calls
  :func:`explain_greyed_key`, which notifies ``"<key's description>: <reason>."``.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from textual import events

from c66tui.text import sanitize

_REASONS: WeakKeyDictionary[Any, dict[str, str]] = WeakKeyDictionary()
"""Node -> action -> why its key is greyed out now (as last checked)."""


def greyed(node: Any, action: str, reason: str | None) -> bool | None:
    """``check_action``'s answer for ``action`` on ``node``: ``True`` without a reason,
    else ``None`` (greyed out), the reason kept for :func:`greyed_reason`."""
    reasons = _REASONS.setdefault(node, {})
    if not reason:
        reasons.pop(action, None)
        return True
    reasons[action] = reason
    return None


def greyed_reason(node: Any, action: str) -> str | None:
    """Why ``action``'s key on ``node`` was greyed out when last checked (``None``: it
    was not, or no reason was given)."""
    return _REASONS.get(node, {}).get(action)


def explain_greyed_key(screen: Any, event: events.Key, *, timeout: float = 4) -> bool:
    """If ``event`` is the key of a greyed-out binding with a reason, say why and stop
    the key. Returns whether it did."""
    active = screen.active_bindings.get(event.key)
    if active is None or active.enabled:
        return False
    reason = greyed_reason(active.node, active.binding.action)
    if not reason:
        return False
    event.stop()
    event.prevent_default()
    description = active.binding.description or active.binding.action
    text = reason if reason.endswith(".") else f"{reason}."
    screen.notify(f"{description}: {sanitize(text)}", severity="warning", markup=False,
                  timeout=timeout)
    return True

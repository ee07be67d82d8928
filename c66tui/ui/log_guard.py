"""Keep secrets out of Textual's own log (``TEXTUAL_LOG`` and the devtools console).

Textual logs every event it dispatches, with its fields: each ``Key`` typed into the token
field (one character at a time, too short for any pattern to recognise), each ``Paste``
and each ``Input.Changed`` carrying the field's whole value. :func:`install` wraps
``textual.Logger.__call__`` (pinned to Textual 8.2.8, where every log line, file or
devtools, goes through it) so that:

* a key, paste or input message that belongs to a secret field (a password ``Input``, or
  one whose id is in :data:`SECRET_FIELD_IDS`) is logged as ``<hidden>``;
* every other argument is rendered to text and passed through the one redaction point,
  :func:`c66tui.api.redaction.redact`.
"""

from __future__ import annotations

import threading
from typing import Any

import textual
from textual import constants, events
from textual._context import active_app
from textual.widget import Widget
from textual.widgets import Input

from c66tui.api.redaction import redact

SECRET_FIELD_IDS = frozenset({"login-code", "login-pat", "client-secret", "env-value"})
"""Fields that hold a token, code, secret or a password variable's value."""

HIDDEN = "<hidden: a secret field>"

_lock = threading.Lock()
_original: Any = None


def is_secret_field(widget: object) -> bool:
    """Whether ``widget`` is an input whose content must never be logged."""
    if not isinstance(widget, Input):
        return False
    return bool(widget.password) or (widget.id or "") in SECRET_FIELD_IDS


def _app_of(logger: Any) -> Any:
    app = logger.app
    if app is None:
        try:
            app = active_app.get()
        except LookupError:
            return None
    return app


def _focused(logger: Any) -> Widget | None:
    app = _app_of(logger)
    if app is None:
        return None
    try:
        return app.focused
    except Exception:  # noqa: BLE001 - no screen yet
        return None


def _devtools_connected(logger: Any) -> bool:
    app = _app_of(logger)
    return bool(app is not None and getattr(app, "_is_devtools_connected", False))


def _hide(argument: object, secret_focus: bool) -> object:
    """``argument`` as it may be logged."""
    if isinstance(argument, events.Key | events.Paste) and secret_focus:
        return f"{type(argument).__name__}({HIDDEN})"
    if isinstance(argument, Input.Changed | Input.Submitted | Input.Blurred):
        if is_secret_field(argument.input):
            return f"{type(argument).__qualname__}({HIDDEN})"
    if isinstance(argument, str | int | float | bool) or argument is None:
        return redact(str(argument)) if isinstance(argument, str) else argument
    try:
        return redact(str(argument))
    except Exception:  # noqa: BLE001 - a broken __str__ must not break logging
        return f"<{type(argument).__name__}>"


def guarded_call(self: Any, *args: object, **kwargs: object) -> None:
    """``Logger.__call__`` with secrets hidden and everything else redacted."""
    if not constants.LOG_FILE and not _devtools_connected(self):
        return  # nothing would be written: skip the work (this runs for every event)
    secret_focus = is_secret_field(_focused(self))
    safe_args = tuple(_hide(arg, secret_focus) for arg in args)
    safe_kwargs = {key: _hide(value, secret_focus) for key, value in kwargs.items()}
    _original(self, *safe_args, **safe_kwargs)


def install() -> None:
    """Wrap Textual's logger (idempotent)."""
    global _original
    with _lock:
        if _original is not None:
            return
        _original = textual.Logger.__call__
        textual.Logger.__call__ = guarded_call  # type: ignore[method-assign]

"""Every notification an app showed, read through the public ``App.notify``.

Installed for every UI test by ``tests/ui/conftest.py``: :func:`notices` lists the
messages an app was asked to show, oldest first (expired or dismissed ones included, so a
check that a message never appeared cannot miss one that came and went).
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

_SHOWN: WeakKeyDictionary = WeakKeyDictionary()


def install(monkeypatch, app_class) -> None:
    """Record the (title, message) given to ``app_class.notify`` (Textual's ``App``)."""
    _SHOWN.clear()
    original = app_class.notify

    def notify(app, message, *args, **kwargs):
        _SHOWN.setdefault(app, []).append((str(kwargs.get("title") or ""), str(message)))
        return original(app, message, *args, **kwargs)

    monkeypatch.setattr(app_class, "notify", notify)


def notices(app) -> list[str]:
    """Messages ``app`` showed as notifications so far, oldest first."""
    return [message for _title, message in _SHOWN.get(app, [])]


def titled_notices(app) -> list[str]:
    """Like :func:`notices`, each as ``"title message"``."""
    return [f"{title} {message}" for title, message in _SHOWN.get(app, [])]

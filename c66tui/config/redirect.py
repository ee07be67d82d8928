"""The OAuth callback a profile's application is registered with (``redirect_uri``).

Empty in the profile means the out-of-band URI; ``C66TUI_REDIRECT_URI`` overrides it for
one run (see :mod:`c66tui.config.settings`).
"""

from __future__ import annotations

import re

OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"
ENV_REDIRECT_URI = "C66TUI_REDIRECT_URI"
_REDIRECT = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s#]+$")


def check_redirect_uri(value: str) -> str | None:
    """Why ``value`` cannot be an OAuth callback (``None`` when it can): an absolute URI
    (``urn:ietf:wg:oauth:2.0:oob``, ``http://127.0.0.1:34543/callback``, a web address)
    without spaces, control characters or a fragment."""
    if not _REDIRECT.fullmatch(value or "") or any(ord(c) < 32 or ord(c) == 127 for c in value):
        return (
            "must be an absolute address without spaces or '#', such as "
            "urn:ietf:wg:oauth:2.0:oob or http://127.0.0.1:34543/callback"
        )
    if value.lower().startswith(("http:", "https:")) and "://" not in value:
        return "is an http(s) address without a host"
    return None


def redirect_uri_of(profile: object) -> str:
    """The callback to use for ``profile``: its ``redirect_uri``, else out-of-band."""
    return (getattr(profile, "redirect_uri", "") or "").strip() or OOB_REDIRECT

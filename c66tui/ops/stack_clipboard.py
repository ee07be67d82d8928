"""Copying a stack's name or its web dashboard link (OSC 52: works over SSH).

The link is built from the profile's API address: the web app lives on the same host,
so ``https://app.cloud66.com/api/2`` gives ``https://app.cloud66.com/stacks/<id>``. Only
scheme, host and port are kept (never user information, a query or anything else in the
configured URL), so nothing secret can end up on the clipboard. The dashboard's public
links use the stack's numeric id; the v2 API returns only the ``uid``, so the numeric
``id`` is used when an answer carries one and the ``uid`` otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlsplit

from c66tui.api.models import Stack
from c66tui.text import sanitize


def web_base(api_url: str) -> str:
    """The web app's address for an API address (its path up to ``/api``)."""
    parts = urlsplit(api_url.strip())
    host = parts.hostname or ""
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # a port that is not a number
        return ""
    if not host:
        return ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    prefix = parts.path.split("/api", 1)[0].rstrip("/")
    return f"{parts.scheme or 'https'}://{host}{port}{prefix}"


def dashboard_url(api_url: str, stack: Stack) -> str:
    """The stack's page in the Cloud 66 web dashboard."""
    numeric = stack.raw.get("id") if isinstance(stack.raw, dict) else None
    ident = str(numeric) if isinstance(numeric, int) and numeric > 0 else stack.uid
    base = web_base(api_url)
    return f"{base}/stacks/{quote(ident, safe='')}" if base and ident else ""


Copy = Callable[[str], None]
"""Puts text on the clipboard (the app's OSC 52 ``copy_to_clipboard``)."""
Notify = Callable[..., None]
"""Shows a message (Textual's ``notify`` signature)."""


def copy_stack_name(copy: Copy, notify: Notify, stack: Stack | None) -> None:
    """Put the stack's name on the clipboard and say so."""
    if stack is None:
        return
    name = sanitize(stack.name)
    copy(name)
    notify(f"Copied stack name: {name}", markup=False, timeout=3)


def copy_dashboard_link(copy: Copy, notify: Notify, api_url: str, stack: Stack | None) -> None:
    """Put the stack's web dashboard link (from the profile's ``api_url``) on the
    clipboard and say so."""
    if stack is None:
        return
    url = dashboard_url(api_url, stack)
    if not url:
        notify("No dashboard link: the API address has no host.", severity="warning")
        return
    copy(url)
    notify(f"Copied dashboard link: {url}", markup=False, timeout=4)

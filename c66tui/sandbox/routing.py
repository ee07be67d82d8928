"""A small router for the sandbox API: path templates, per-method scopes, request context.

Two API routers: :data:`API` (v3, ``/api/3``) and :data:`LEGACY` (v2, ``/api/2``); a path
that one of them does not know is a 404 there, whatever the other serves. :data:`OPEN_V3`
holds the one ``/api/3`` route served without a token (the ping).

Templates use ``{name}`` segments (one path segment each). Matching distinguishes an
unknown route (404) from a known route with the wrong method (405, with ``Allow``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from c66tui.sandbox.envelope import ApiError, bad_request, paged, parse_page

if TYPE_CHECKING:
    from c66tui.sandbox.records import Details, StackRec
    from c66tui.sandbox.state import Sandbox
    from c66tui.sandbox.tokens import TokenRec

MAX_BODY = 1_000_000
TRUE_WORDS = {"1", "true", "yes", "on", "t", "y"}
FALSE_WORDS = {"0", "false", "no", "off", "f", "n", ""}


def read_flag(value: Any) -> bool | None:
    """``value`` as true/false (a JSON boolean or one of the words above; a blank word is
    not one), or None when it is neither."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS - {""}:
        return False
    return None


@dataclass
class Ctx:
    """What a handler gets: the world, the caller's token, path/query/body parameters."""

    sandbox: Sandbox
    token: TokenRec | None
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    body: dict[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    generation: str = "3"
    """``"2"`` for a request under ``/api/2`` (the legacy surface), else ``"3"``."""
    api_version: str = ""
    """``"2"`` or ``"3"``: the API generation the request came in under (``""`` outside it)."""

    @property
    def user(self) -> str:
        return self.token.email if self.token else ""

    def stack(self) -> StackRec:
        return self.sandbox.stack(self.params["uid"])

    def details(self) -> Details:
        """The collections of the stack the path names (404 when there is none)."""
        return self.sandbox.details(self.stack())

    def listed(self, records: list) -> dict[str, Any]:
        """The requested page of ``records`` in the list envelope, each as its ``to_api()``."""
        return paged(records, self.page(), lambda record: record.to_api())

    def page(self) -> int:
        """The ``page`` query parameter (1 when absent; 400 when not a page number)."""
        return parse_page(self.query.get("page"))

    @property
    def sees_hook(self) -> bool:
        """Whether the caller may see a stack's ``redeploy_hook`` (the redeploy scope)."""
        return bool(self.token and self.token.has("redeploy"))

    def raw(self, name: str) -> Any:
        """A parameter from the body, else the query string (None when absent)."""
        if name in self.body:
            return self.body[name]
        return self.query.get(name)

    def given(self, name: str, *, required: bool = False) -> Any:
        """:meth:`raw`, with a 400 when ``required`` and absent."""
        value = self.raw(name)
        if value is None and required:
            raise bad_request(f"Missing parameter: {name}", f"'{name}' is required")
        return value

    def text(self, name: str, *, required: bool = False, allow_empty: bool = True) -> str | None:
        """A scalar parameter as text; 400 when required and missing or not a scalar."""
        value = self.given(name, required=required)
        if value is None:
            return None
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, int | float):
            value = json.dumps(value)
        elif not isinstance(value, str):
            raise bad_request(f"Invalid parameter: {name}", f"'{name}' must be a string")
        if not allow_empty and not value.strip():
            raise bad_request(f"Missing parameter: {name}", f"'{name}' must not be blank")
        return value

    def flag(self, name: str, *, required: bool = False) -> bool | None:
        """A boolean parameter (1/0, true/false, on/off); 400 when unreadable."""
        value = self.given(name, required=required)
        if value is None:
            return None
        flag = read_flag(value)
        if flag is None:
            raise bad_request(f"Invalid parameter: {name}", f"'{name}' must be 1 or 0")
        return flag

    def items(self, name: str) -> list[str]:
        """A list parameter: a JSON array, or a comma-separated string."""
        value = self.raw(name)
        if value is None or value == "":
            return []
        if isinstance(value, list):
            if not all(isinstance(v, str | int | float) for v in value):
                raise bad_request(f"Invalid parameter: {name}", f"'{name}' must list strings")
            return [str(v).strip() for v in value if str(v).strip()]
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        raise bad_request(f"Invalid parameter: {name}", f"'{name}' must be a list")


Handler = Callable[[Ctx], Any]


@dataclass
class Route:
    method: str
    template: str
    pattern: re.Pattern
    handler: Handler
    scope: str
    keep: bool | Callable[[Ctx], bool] = False
    """A lasting change the sandbox remembers across restarts (see ``persist``); a
    function when only some requests to the route are (it gets the request)."""

    def keeps(self, ctx: Ctx) -> bool:
        """Whether this accepted request is a lasting change to remember."""
        return self.keep(ctx) if callable(self.keep) else self.keep


class Router:
    """Routes of one area (API, OAuth, control)."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def route(
        self,
        methods: str,
        template: str,
        scope: str = "public",
        *,
        keep: bool | Callable[[Ctx], bool] = False,
    ):
        """Decorator: register ``handler`` for space-separated ``methods`` at ``template``
        (``keep``: a write whose change outlives a restart, or a function telling which
        requests are, see :mod:`..persist`)."""
        regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$"
        pattern = re.compile(regex)

        def register(handler: Handler) -> Handler:
            for method in methods.split():
                self.routes.append(Route(method, template, pattern, handler, scope, keep))
            return handler

        return register

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        """The route for this request; ApiError 404 when no route knows the path, 405
        (with ``Allow``) when none of those has the method."""
        allowed: list[str] = []
        method = "GET" if method == "HEAD" else method
        for route in self.routes:
            found = route.pattern.match(path)
            if found is None:
                continue
            if route.method == method:
                return route, found.groupdict()
            allowed.append(route.method)
        if allowed:
            raise ApiError(
                405,
                f"Method {method} is not allowed here",
                details=f"Allowed: {', '.join(sorted(set(allowed)))}",
                headers={"Allow": ", ".join(sorted(set(allowed)))},
            )
        raise ApiError(404, "Not found", details=f"No such resource: {path}")


def parse_body(raw: bytes, content_type: str) -> dict[str, Any]:
    """Parameters from a form-encoded or JSON body; ApiError 400 when malformed."""
    if not raw or not raw.strip():
        return {}
    if len(raw) > MAX_BODY:
        raise bad_request("Request body too large", f"at most {MAX_BODY} bytes")
    ctype = content_type.split(";", 1)[0].strip().lower()
    if ctype.startswith("multipart/"):
        raise bad_request("Unsupported body", "send form-encoded or JSON parameters")
    looks_json = raw.lstrip()[:1] in (b"{", b"[")
    if ctype == "application/json" or ctype.endswith("+json") or looks_json:
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError) as err:
            raise bad_request("Malformed JSON body", str(err)[:200]) from None
        if not isinstance(data, dict):
            raise bad_request("Malformed JSON body", "the body must be a JSON object")
        return data
    if ctype not in ("", "application/x-www-form-urlencoded", "text/plain"):
        raise bad_request("Unsupported body", f"content type {ctype!r} is not understood")
    try:
        text = raw.decode("utf-8")
        pairs = parse_qs(text, keep_blank_values=True, strict_parsing=True, max_num_fields=500)
    except (UnicodeDecodeError, ValueError) as err:
        raise bad_request("Malformed form body", str(err)[:200]) from None
    out: dict[str, Any] = {}
    for key, values in pairs.items():
        if key.endswith("[]"):
            out[key[:-2]] = values
        else:
            out[key] = values[-1]
    return out


API = Router()
"""The v3 API routes, served under ``/api/3`` (cloud66/help-api, the Go library, the 2024
docs). Add a v3 route with ``@API.route(...)`` in any module imported by ``app``. One
route per method and path: no two routes may answer the same request (a test holds the
table to it), so the order of registration never decides an answer."""

OPEN_V3 = Router()
"""``/api/3`` routes that need no access token (the connectivity ping)."""

LEGACY = Router()
"""The legacy v2 routes, served under ``/api/2``: only what cloud66/help-old's
``_posts/api/`` pages document (see :mod:`.routes_legacy`)."""

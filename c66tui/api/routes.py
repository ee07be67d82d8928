"""Every request the client makes, in one table: method, path, scope, and who documents it.

Cloud 66 has two generations of public API documentation:

* **legacy v2** (``https://app.cloud66.com/api/2``, cloud66/help-old ``_posts/api/``):
  stacks, stack settings, redeploy, restart, maintenance mode, lease, servers and server
  groups;
* **v3** (``https://app.cloud66.com/api/3``, cloud66/help-api ``source/includes/``, the Go
  library cloud66-oss/cloud66 and the 2024 docs in cloud-66-internal/developers.cloud66.com):
  everything, including deployments, actions, environment variables, jobs, server
  settings, users and accounts.

A :class:`Route` names one operation. ``path``/``method`` are its v3 form; ``legacy`` is
the v2 form when the legacy pages document the operation (possibly at another path, e.g.
``POST /stacks/{uid}/redeploy``). :class:`ApiBase` turns a route into the URL to call for a
configured base: on a base ending in ``/api/2`` a route with a legacy form uses it, and any
other route goes to the ``/api/3`` sibling on the same host, so a v3-only request is never
sent to ``/api/2``.

Adding a route is one line in :data:`V3_TABLE` (and one in :data:`LEGACY_TABLE` when the
legacy pages document it too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

V2 = "legacy v2"
V3 = "v3"
DOCS_2024 = "2024 docs"
GO_LIBRARY = "Go library"
"""Generation labels: which documentation names the request (``GO_LIBRARY``: only the
official Go library sends it; it is part of the v3 surface)."""

HELP_API = "cloud66/help-api source/includes/"
HELP_OLD = "cloud66/help-old _posts/api/"
DEV_2024 = "cloud-66-internal/developers.cloud66.com source/includes/"
GO_LIB = "cloud66-oss/cloud66 "


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One documented form of a request."""

    method: str
    path: str
    """A template: ``{name}`` is one path segment, filled in percent-encoded."""
    source: str


@dataclass(frozen=True, slots=True)
class Route:
    """One operation of the client."""

    name: str
    method: str
    path: str
    scope: str
    generation: str
    """Who documents the v3 form: :data:`V3`, :data:`DOCS_2024` or :data:`GO_LIBRARY`."""
    source: str
    legacy: Endpoint | None = None
    """The legacy v2 form, when the legacy pages document this operation."""

    @property
    def generations(self) -> tuple[str, ...]:
        """Every generation that documents this operation."""
        return ((V2,) if self.legacy else ()) + (self.generation,)

    @property
    def v3_only(self) -> bool:
        return self.legacy is None


V3_TABLE = """
# name                method path                                             scope    by   source
list_stacks           GET    /stacks                                           public   v3   _stacks.md
get_stack             GET    /stacks/{uid}                                     public   v3   _stacks.md
list_servers          GET    /stacks/{uid}/servers                             public   v3   _servers.md
list_server_groups    GET    /stacks/{uid}/server_groups                       public   v3   _server_groups.md
list_stack_settings   GET    /stacks/{uid}/settings                            public   v3   _stack_settings.md
update_stack_setting  PUT    /stacks/{uid}/settings/{id}                       admin    v3   _stack_settings.md
redeploy              POST   /stacks/{uid}/deployments                         redeploy v3   _deployments.md
set_maintenance_mode  POST   /stacks/{uid}/actions                             redeploy v3   _stacks.md
restart_stack         POST   /stacks/{uid}/actions                             redeploy v3   _stacks.md
list_deployments      GET    /stacks/{uid}/deployments                         public   v3   _deployments.md
get_deployment        GET    /stacks/{uid}/deployments/{id}                    public   v3   _deployments.md
cancel_deployment     DELETE /stacks/{uid}/deployments/{id}                    redeploy v3   _deployments.md
list_server_settings  GET    /stacks/{uid}/servers/{server_uid}/settings       public   v3   _server_settings.md
update_server_setting PUT    /stacks/{uid}/servers/{server_uid}/settings/{id}  admin    v3   _server_settings.md
list_env_vars         GET    /stacks/{uid}/environments                        admin    v3   _enviroment_variables.md
create_env_var        POST   /stacks/{uid}/environments                        admin    v3   _enviroment_variables.md
update_env_var        PUT    /stacks/{uid}/environments/{key}                  admin    v3   _enviroment_variables.md
delete_env_var        DELETE /stacks/{uid}/environments/{key}                  admin    v3   _enviroment_variables.md
list_jobs             GET    /stacks/{uid}/jobs                                public   v3   _jobs.md
get_job               GET    /stacks/{uid}/jobs/{job_uid}                      public   go   job.go
run_job               POST   /stacks/{uid}/jobs/{job_uid}/run_now              public   v3   _jobs.md
pause_job             POST   /stacks/{uid}/jobs/{job_uid}/pause                public   2024 _jobs.md
resume_job            POST   /stacks/{uid}/jobs/{job_uid}/unpause              public   2024 _jobs.md
list_actions          GET    /stacks/{uid}/actions                             public   v3   _stacks.md
get_action            GET    /stacks/{uid}/actions/{id}                        public   v3   _stacks.md
run_stack_action      POST   /stacks/{uid}/actions                             redeploy v3   _stacks.md
list_accounts         GET    /accounts                                         users    v3   _accounts.md
list_users            GET    /users                                            users    v3   _users.md
ping                  GET    /ping                                             public   go   ping.go
ping_auth             GET    /ping/auth                                        public   go   ping.go
download_env_vars     GET    /stacks/{uid}/environments                        admin    go   stack.go (StackEnvVarsString)
open_lease            POST   /stacks/{uid}/firewalls                           admin    v3   _firewall_rules.md
get_server_key        GET    /stacks/{uid}/servers/{server_uid}                admin    v3   _servers.md
"""  # noqa: E501
"""Every operation in its v3 form. ``by`` is who documents it: ``v3`` (source in
:data:`HELP_API`), ``2024`` (:data:`DEV_2024`) or ``go`` (only the Go library sends it,
source in :data:`GO_LIB`; part of the v3 surface)."""

LEGACY_TABLE = """
# name                method path                                   source
list_stacks           GET    /stacks                                stack/2008-12-13-list.md
get_stack             GET    /stacks/{uid}                          stack/2008-12-18-get.md
list_servers          GET    /stacks/{uid}/servers                  stack/2008-11-25-servers.md
list_server_groups    GET    /stacks/{uid}/server_groups            servergroups/2006-11-17-list.md
list_stack_settings   GET    /stacks/{uid}/settings                 stack/2008-11-01-settings.md
update_stack_setting  POST   /stacks/{uid}/setting                  stack/2008-11-20-setting.md
redeploy              POST   /stacks/{uid}/redeploy                 stack/2008-12-01-redeploy.md
set_maintenance_mode  POST   /stacks/{uid}/maintenance_mode         stack/2008-12-08-maintenance-mode.md
restart_stack         POST   /stacks/{uid}/restart                  stack/2008-11-28-restart.md
open_lease            POST   /stacks/{uid}/lease                    stack/2008-12-15-lease.md
get_server_key        GET    /servers/{server_uid}/ssh_private_key  server/2004-09-28-ssh_private_key.md
"""  # noqa: E501
"""The operations the legacy v2 pages document, in their v2 form (source in
:data:`HELP_OLD`)."""

_BY = {"v3": (V3, HELP_API), "2024": (DOCS_2024, DEV_2024), "go": (GO_LIBRARY, GO_LIB)}


def _rows(table: str, columns: int) -> list[list[str]]:
    """The rows of a text table: ``columns`` words, the last one the rest of the line."""
    lines = (line.strip() for line in table.splitlines())
    return [line.split(None, columns - 1) for line in lines if line and not line.startswith("#")]


def _routes() -> dict[str, Route]:
    legacy = {name: Endpoint(method, path, HELP_OLD + src)
              for name, method, path, src in _rows(LEGACY_TABLE, 4)}  # fmt: skip
    routes = {}
    for name, method, path, scope, by, src in _rows(V3_TABLE, 6):
        generation, prefix = _BY[by]
        routes[name] = Route(name, method, path, scope, generation, prefix + src, legacy.get(name))
    if unknown := set(legacy) - set(routes):
        raise ValueError(f"legacy forms of unknown operations: {sorted(unknown)}")
    return routes


ROUTES: dict[str, Route] = _routes()
"""Every request the client makes, by operation name."""

GROUPS: dict[str, tuple[str, ...]] = {
    "stacks, servers, server groups": (
        "list_stacks", "get_stack", "list_servers", "list_server_groups",
    ),
    "stack settings": ("list_stack_settings", "update_stack_setting"),
    "redeploy, restart, maintenance": ("redeploy", "restart_stack", "set_maintenance_mode"),
    "deployments and actions": (
        "list_deployments", "get_deployment", "cancel_deployment", "list_actions", "get_action",
        "run_stack_action",
    ),
    "server settings": ("list_server_settings", "update_server_setting"),
    "environment variables": (
        "list_env_vars", "create_env_var", "update_env_var", "delete_env_var",
    ),
    "jobs": ("list_jobs", "get_job", "run_job", "pause_job", "resume_job"),
    "users and accounts": ("list_accounts", "list_users"),
    "connectivity checks": ("ping", "ping_auth"),
    "environment variable download": ("download_env_vars",),
    "firewall lease and server key": ("open_lease", "get_server_key"),
}  # fmt: skip
"""Routes grouped the way ``c66tui status`` reports them."""

_LEGACY_BASE = re.compile(r"/api/2$")


def segment(value: object) -> str:
    """One path segment, percent-encoded so an id can never change the path."""
    text = str(value)
    if not text or text in (".", ".."):
        raise ValueError(f"Not a valid identifier: {text!r}")
    return quote(text, safe="")


def fill(template: str, ids: dict[str, object]) -> str:
    """``template`` with each ``{name}`` replaced by the encoded ``ids[name]``."""
    return re.sub(r"\{(\w+)\}", lambda m: segment(ids[m.group(1)]), template)


def _pattern(template: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\{\w+\}", "[^/]+", template) + r"(\.json)?$")


_MATCHERS = [(r, _pattern(r.path)) for r in ROUTES.values()]
_LEGACY_MATCHERS = [(r, _pattern(r.legacy.path)) for r in ROUTES.values() if r.legacy]


@dataclass(frozen=True, slots=True)
class Target:
    """Where one request goes: method, URL (absolute, or relative to the base), and
    whether it is sent in its legacy v2 form."""

    method: str
    url: str
    legacy: bool = False


class ApiBase:
    """The generation a base URL speaks and where each route goes from it."""

    def __init__(self, base_url: str) -> None:
        self.base_url = str(base_url).rstrip("/")
        self.is_legacy = bool(_LEGACY_BASE.search(self.base_url))

    @property
    def generation(self) -> str:
        return V2 if self.is_legacy else V3

    @property
    def v3_base(self) -> str:
        """Where v3 requests go: the base itself, or its ``/api/3`` sibling."""
        if self.is_legacy:
            return _LEGACY_BASE.sub("/api/3", self.base_url)
        return self.base_url

    def target(self, name: str, **ids: object) -> Target:
        """The method and URL of route ``name`` with its path ids filled in."""
        spec = ROUTES[name]
        if self.is_legacy and spec.legacy is not None:
            return Target(spec.legacy.method, fill(spec.legacy.path, ids), legacy=True)
        path = fill(spec.path, ids)
        return Target(spec.method, self.v3_base + path if self.is_legacy else path)

    def target_for_path(self, method: str, path: str) -> Target:
        """Where a request given by path goes: a path the legacy pages document stays on
        a legacy base; any other path goes to the v3 base (a whole URL is left alone)."""
        bare = path.split("?", 1)[0]
        if "://" in bare:
            return Target(method, path)  # a whole URL is sent as it is
        if self.is_legacy:
            for spec, pattern in _LEGACY_MATCHERS:
                if spec.legacy.method == method and pattern.match(bare):
                    return Target(method, path, legacy=True)
            return Target(method, self.v3_base + path)
        return Target(method, path)

    def where(self, name: str) -> str:
        """Human words for where route ``name`` goes from this base."""
        spec = ROUTES[name]
        if self.is_legacy and spec.legacy is not None:
            return f"{self.base_url} (legacy v2)"
        return f"{self.v3_base} (v3)"


def find_routes(method: str, path: str) -> list[Route]:
    """The routes whose v3 form matches ``method path`` (several operations share
    ``POST /stacks/{uid}/actions``)."""
    bare = path.split("?", 1)[0]
    return [s for s, pattern in _MATCHERS if s.method == method.upper() and pattern.match(bare)]


def find_legacy_routes(method: str, path: str) -> list[Route]:
    """The routes whose legacy v2 form matches ``method path``."""
    bare = path.split("?", 1)[0]
    return [
        s for s, pattern in _LEGACY_MATCHERS if s.legacy.method == method.upper()
        and pattern.match(bare)
    ]  # fmt: skip


def status_rows(base_url: str) -> list[tuple[str, str]]:
    """``(label, value)`` lines for ``c66tui status``: the generation a base speaks and
    where each group of requests goes from it."""
    base = ApiBase(base_url)
    rows = [("API generation", f"{base.generation} ({base.base_url})")]
    for group, names in GROUPS.items():
        places = sorted({base.where(name) for name in names})
        if base.is_legacy and "redeploy" in names:
            places.append(f"a redeploy of a ref or of services: {base.v3_base} (v3)")
        rows.append((f"  {group}", "; ".join(places)))
    return rows

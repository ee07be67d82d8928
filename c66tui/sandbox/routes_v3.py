"""``/api/3`` answers for shared paths, in the shape the official Go library reads.

The routes here are matched before the shared ones on ``/api/3`` only (``/api/2`` keeps
the legacy shapes). Each one reuses the shared renderer and adds what the library's
structs read (cloud66-oss/cloud66 at its current head), where the published docs are
silent or show less:

* stacks (``stack.go`` ``Stack``): ``backend``, ``version``, ``revision``,
  ``namespaces``, ``is_cluster``, ``is_inside_cluster``, ``cluster_name``,
  ``application_address``, ``configstore_namespace``; the list honours
  ``filter_name``, ``filter_environment``, ``filter_git_repo`` and ``filter_git_branch``
  (``StackListRemoteFilter``; an empty filter is no filter);
* accounts (``account.go`` ``Account``): ``friendly_name``, ``created_at``,
  ``updated_at`` (RFC 3339) and ``current_account``, beside the documented ``*_iso``;
* environment variables (``StackEnvVarsString``): ``environments_format=dotenv|json``
  answers ``{"contents": ...}`` (see :mod:`.envformat`); the list's history entries get
  the ``created_at_iso``/``updated_at_iso`` twins ``StackEnvVarHistory`` reads.
"""

from __future__ import annotations

from c66tui.sandbox import envformat
from c66tui.sandbox.envelope import bad_request, iso_z, not_found, paged, parse_page, single
from c66tui.sandbox.records import StackRec
from c66tui.sandbox.routes_env import list_env
from c66tui.sandbox.routes_stacks import account_json, stack_json
from c66tui.sandbox.routing import API_V3, Ctx

STACK_FILTERS = {
    "filter_name": lambda s: s.name,
    "filter_environment": lambda s: s.environment,
    "filter_git_repo": lambda s: s.git,
    "filter_git_branch": lambda s: s.git_branch,
}
"""List filter parameter to the stack field it matches (whole value, ignoring case)."""


def stack_fields(stack: StackRec) -> dict:
    """The v3 stack fields beyond the documented sample (values made up, types as the
    Go library's ``Stack`` struct: Docker stacks run on Kubernetes, the others do not)."""
    kube = stack.framework == "docker"
    namespace = f"{stack.uid[:8]}-{stack.environment}"
    return {
        "backend": "kubernetes" if kube else stack.language,
        "version": "2" if kube else "1",
        "revision": stack.uid[-7:],
        "namespaces": [namespace] if kube else [],
        "is_cluster": False,
        "is_inside_cluster": False,
        "cluster_name": "",
        "application_address": f"https://{stack.fqdn}" if stack.fqdn else None,
        "configstore_namespace": f"cs-{stack.uid[:16]}",
    }


def v3_stack_json(ctx: Ctx, stack: StackRec) -> dict:
    return {**stack_json(ctx, stack), **stack_fields(stack)}


def _matches(stack: StackRec, filters: dict[str, str]) -> bool:
    return all(STACK_FILTERS[name](stack).casefold() == want for name, want in filters.items())


@API_V3.route("GET", "/stacks")
def list_stacks(ctx: Ctx):
    filters = {
        name: ctx.query[name].strip().casefold()
        for name in STACK_FILTERS
        if ctx.query.get(name, "").strip()
    }
    stacks = [s for s in ctx.sandbox.ordered_stacks() if _matches(s, filters)]
    return paged(stacks, parse_page(ctx.query.get("page")), lambda s: v3_stack_json(ctx, s))


@API_V3.route("GET", "/stacks/{uid}")
def get_stack(ctx: Ctx):
    return single(v3_stack_json(ctx, ctx.stack()))


def current_account_id(ctx: Ctx) -> int | None:
    """The account the caller works in: ``X-Account`` when sent, else the caller's
    primary account, else the first one."""
    chosen = (ctx.headers.get("x-account") or "").strip()
    if chosen.isdigit():
        return int(chosen)
    for user in ctx.sandbox.users:
        if user.email == ctx.user:
            return user.primary_account_id
    return ctx.sandbox.accounts[0].id if ctx.sandbox.accounts else None


def v3_account_json(ctx: Ctx, account, current: int | None) -> dict:
    data = account_json(ctx, account)
    data.update(
        friendly_name=account.name,
        created_at=iso_z(account.created_at),
        updated_at=iso_z(account.updated_at),
        current_account=account.id == current,
        configstore_namespace=f"cs-account-{account.id}",
    )
    if ctx.query.get("include_servers", "").strip().lower() == "true":
        data.update(unmanaged_servers=[], server_registration_script="")
    return data


@API_V3.route("GET", "/accounts", scope="users")
def list_accounts(ctx: Ctx):
    current = current_account_id(ctx)
    accounts = ctx.sandbox.accounts
    return paged(
        accounts, parse_page(ctx.query.get("page")), lambda a: v3_account_json(ctx, a, current)
    )


@API_V3.route("GET", "/accounts/{id}", scope="users")
def get_account(ctx: Ctx):
    for account in ctx.sandbox.accounts:
        if str(account.id) == ctx.params["id"]:
            return single(v3_account_json(ctx, account, current_account_id(ctx)))
    raise not_found("Account", ctx.params["id"])


def _with_history_twins(item: dict) -> dict:
    for entry in item.get("history") or []:
        entry.setdefault("created_at_iso", entry.get("created_at"))
        entry.setdefault("updated_at_iso", entry.get("updated_at"))
    return item


@API_V3.route("GET", "/stacks/{uid}/environments", scope="admin")
def list_env_v3(ctx: Ctx):
    """The variables as the usual paged list (``environments_format`` absent or ``api``),
    or as one ``dotenv``/``json`` text."""
    fmt = (ctx.query.get("environments_format") or "api").strip().lower()
    if fmt == "api":
        answer = list_env(ctx)
        for item in answer["response"]:
            _with_history_twins(item)
        return answer
    if fmt not in envformat.FORMATS:
        raise bad_request(
            "Invalid parameter: environments_format", f"one of api, {', '.join(envformat.FORMATS)}"
        )
    kinds = envformat.parse_kinds(ctx.query.get("requested_types"))
    records = ctx.sandbox.details(ctx.stack()).env
    return single({"contents": envformat.render(records, fmt, kinds)})

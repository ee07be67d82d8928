"""v3 API routes: accounts, users, stacks, servers and server groups (the legacy v2 forms
are in :mod:`.routes_legacy`).

Stacks and accounts carry the documented fields (cloud66/help-api) plus what the official
Go library's structs read where the docs are silent (cloud66-oss/cloud66 at its current
head):

* stacks (``stack.go`` ``Stack``): ``backend``, ``version``, ``revision``,
  ``namespaces``, ``is_cluster``, ``is_inside_cluster``, ``cluster_name``,
  ``application_address``, ``configstore_namespace``; the list honours
  ``filter_name``, ``filter_environment``, ``filter_git_repo`` and ``filter_git_branch``
  (``StackListRemoteFilter``; an empty filter is no filter);
* accounts (``account.go`` ``Account``): ``friendly_name``, ``created_at``,
  ``updated_at`` (RFC 3339) and ``current_account``, beside the documented ``*_iso``.
"""

from __future__ import annotations

from c66tui.sandbox.envelope import by_id, find_or_404, iso_z, paged, single
from c66tui.sandbox.records import StackRec, UserRec
from c66tui.sandbox.routing import API, Ctx

STACK_FILTERS = {
    "filter_name": lambda s: s.name,
    "filter_environment": lambda s: s.environment,
    "filter_git_repo": lambda s: s.git,
    "filter_git_branch": lambda s: s.git_branch,
}
"""List filter parameter to the stack field it matches (whole value, ignoring case)."""


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


def account_json(ctx: Ctx, account, current: int | None) -> dict:
    """An account: the documented fields, then the Go library's (``current``: the id of
    the caller's current account)."""
    stacks = [s for s in ctx.sandbox.stacks.values() if s.account_id == account.id]
    data = {
        "id": account.id,
        "owner": account.owner,
        "created_at_iso": iso_z(account.created_at),
        "updated_at_iso": iso_z(account.updated_at),
        "stack_count": len(stacks),
        "used_clouds": sorted({s.cloud.lower() for s in stacks}),
        "friendly_name": account.name,
        "created_at": iso_z(account.created_at),
        "updated_at": iso_z(account.updated_at),
        "current_account": account.id == current,
        "configstore_namespace": f"cs-account-{account.id}",
    }
    if ctx.query.get("include_servers", "").strip().lower() == "true":
        data.update(unmanaged_servers=[], server_registration_script="")
    return data


@API.route("GET", "/accounts", scope="users")
def list_accounts(ctx: Ctx):
    current = current_account_id(ctx)
    return paged(ctx.sandbox.accounts, ctx.page(), lambda a: account_json(ctx, a, current))


@API.route("GET", "/accounts/{id}", scope="users")
def get_account(ctx: Ctx):
    account = find_or_404(ctx.sandbox.accounts, "Account", ctx.params["id"], by_id)
    return single(account_json(ctx, account, current_account_id(ctx)))


def _user_json(ctx: Ctx, user) -> dict:
    uids = [s.uid for s in ctx.sandbox.ordered_stacks()[:50]]
    return user.to_api(uids)


@API.route("GET", "/users", scope="users")
def list_users(ctx: Ctx):
    users = sorted(ctx.sandbox.users, key=lambda u: u.id)
    if ctx.user and all(u.email != ctx.user for u in users):
        # A token minted for someone outside the seed: the caller is among the users it
        # can see (in id order, like everyone: nothing documents the caller first).
        start = ctx.sandbox.clock.start
        role = "Administrator" if ctx.token and ctx.token.has("admin") else "Deployer"
        users.append(
            UserRec(
                id=900,
                email=ctx.user,
                primary_account_id=4021,
                role=role,
                created_at=start - 86400,
                last_login=start,
            ),
        )
    return paged(users, ctx.page(), lambda u: _user_json(ctx, u))


@API.route("GET", "/users/{id}", scope="users")
def get_user(ctx: Ctx):
    user = find_or_404(ctx.sandbox.users, "User", ctx.params["id"], by_id)
    return single(_user_json(ctx, user))


def library_stack_fields(stack: StackRec) -> dict:
    """The stack fields beyond the documented sample (values made up, types as the Go
    library's ``Stack`` struct: Docker stacks run on Kubernetes, the others do not)."""
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


def stack_json(ctx: Ctx, stack: StackRec) -> dict:
    return {**stack.to_api(with_hook=ctx.sees_hook), **library_stack_fields(stack)}


def _matches(stack: StackRec, filters: dict[str, str]) -> bool:
    return all(STACK_FILTERS[name](stack).casefold() == want for name, want in filters.items())


@API.route("GET", "/stacks")
def list_stacks(ctx: Ctx):
    filters = {
        name: ctx.query[name].strip().casefold()
        for name in STACK_FILTERS
        if ctx.query.get(name, "").strip()
    }
    stacks = [s for s in ctx.sandbox.ordered_stacks() if _matches(s, filters)]
    return paged(stacks, ctx.page(), lambda s: stack_json(ctx, s))


@API.route("GET", "/stacks/{uid}")
def get_stack(ctx: Ctx):
    return single(stack_json(ctx, ctx.stack()))


@API.route("GET", "/stacks/{uid}/servers")
def list_servers(ctx: Ctx):
    return ctx.listed(ctx.details().servers)


@API.route("GET", "/stacks/{uid}/servers/{server_uid}")
def get_server(ctx: Ctx):
    return single(ctx.sandbox.find_server(ctx.stack(), ctx.params["server_uid"]).to_api())


@API.route("GET", "/stacks/{uid}/server_groups")
def list_groups(ctx: Ctx):
    return ctx.listed(ctx.details().groups)


@API.route("GET", "/stacks/{uid}/server_groups/{id}")
def get_group(ctx: Ctx):
    return single(ctx.sandbox.find_group(ctx.stack(), ctx.params["id"]).to_api())

"""v3 API routes: accounts, users, stacks, servers and server groups (the legacy v2 forms
are in :mod:`.routes_legacy`)."""

from __future__ import annotations

from c66tui.sandbox.envelope import (
    iso_z,
    not_found,
    paged,
    parse_page,
    single,
)
from c66tui.sandbox.records import UserRec
from c66tui.sandbox.routing import API, Ctx


def _page(ctx: Ctx) -> int:
    return parse_page(ctx.query.get("page"))


def account_json(ctx: Ctx, account) -> dict:
    stacks = [s for s in ctx.sandbox.stacks.values() if s.account_id == account.id]
    return {
        "id": account.id,
        "owner": account.owner,
        "created_at_iso": iso_z(account.created_at),
        "updated_at_iso": iso_z(account.updated_at),
        "stack_count": len(stacks),
        "used_clouds": sorted({s.cloud.lower() for s in stacks}),
    }


@API.route("GET", "/accounts", scope="users")
def list_accounts(ctx: Ctx):
    return paged(ctx.sandbox.accounts, _page(ctx), lambda a: account_json(ctx, a))


@API.route("GET", "/accounts/{id}", scope="users")
def get_account(ctx: Ctx):
    for account in ctx.sandbox.accounts:
        if str(account.id) == ctx.params["id"]:
            return single(account_json(ctx, account))
    raise not_found("Account", ctx.params["id"])


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
    return paged(users, _page(ctx), lambda u: _user_json(ctx, u))


@API.route("GET", "/users/{id}", scope="users")
def get_user(ctx: Ctx):
    for user in ctx.sandbox.users:
        if str(user.id) == ctx.params["id"]:
            return single(_user_json(ctx, user))
    raise not_found("User", ctx.params["id"])


def stack_json(ctx: Ctx, stack) -> dict:
    return stack.to_api(with_hook=bool(ctx.token and ctx.token.has("redeploy")))


@API.route("GET", "/stacks")
def list_stacks(ctx: Ctx):
    return paged(ctx.sandbox.ordered_stacks(), _page(ctx), lambda s: stack_json(ctx, s))


@API.route("GET", "/stacks/{uid}")
def get_stack(ctx: Ctx):
    return single(stack_json(ctx, ctx.stack()))


def _server(ctx: Ctx, stack, uid: str):
    for server in ctx.sandbox.details(stack).servers:
        if server.uid == uid:
            return server
    raise not_found("Server", uid)


@API.route("GET", "/stacks/{uid}/servers")
def list_servers(ctx: Ctx):
    servers = ctx.sandbox.details(ctx.stack()).servers
    return paged(servers, _page(ctx), lambda s: s.to_api())


@API.route("GET", "/stacks/{uid}/servers/{server_uid}")
def get_server(ctx: Ctx):
    server = _server(ctx, ctx.stack(), ctx.params["server_uid"])
    return single(server.to_api())


def _group(ctx: Ctx, stack, group_id: str):
    for group in ctx.sandbox.details(stack).groups:
        if str(group.id) == group_id:
            return group
    raise not_found("Server group", group_id)


@API.route("GET", "/stacks/{uid}/server_groups")
def list_groups(ctx: Ctx):
    groups = ctx.sandbox.details(ctx.stack()).groups
    return paged(groups, _page(ctx), lambda g: g.to_api())


@API.route("GET", "/stacks/{uid}/server_groups/{id}")
def get_group(ctx: Ctx):
    return single(_group(ctx, ctx.stack(), ctx.params["id"]).to_api())

"""Control endpoints under ``/_sandbox/`` (not part of Cloud 66; no auth, loopback by design).

JSON in and out. They drive the world for tests and demos: the request log, tokens,
faults, the clock, pending work, reset, the last OAuth code and injected failures.
"""

from __future__ import annotations

import inspect
from typing import Any

from c66tui.sandbox import seed as seeds
from c66tui.sandbox.envelope import ApiError, bad_request, iso_z
from c66tui.sandbox.faults import FaultSet
from c66tui.sandbox.routing import Ctx, Router

CONTROL = Router()
FAULT_OPTIONS = frozenset(inspect.signature(FaultSet.add).parameters) - {"self"}
"""What ``POST /_sandbox/faults`` accepts: the parameters of :meth:`FaultSet.add`."""


def _ok(**extra: Any) -> dict[str, Any]:
    return {"ok": True, **extra}


def _clock(now: float) -> dict[str, Any]:
    """The answer of a clock move: the new virtual time, as text and as epoch seconds."""
    return _ok(now=iso_z(now), epoch=now)


@CONTROL.route("GET", "/_sandbox/requests")
def get_requests(ctx: Ctx):
    """Logged API and OAuth requests with ``index >= since`` (control calls are not logged)."""
    since = ctx.query.get("since") or "0"
    if not (since.isascii() and since.isdigit()):
        raise bad_request("since must be a non-negative integer")
    start = int(since)
    entries = [dict(e) for e in ctx.sandbox.request_log if e["index"] >= start]
    return {"requests": entries, "count": len(entries), "next": ctx.sandbox.log_count}


@CONTROL.route("DELETE", "/_sandbox/requests")
def clear_requests(ctx: Ctx):
    ctx.sandbox.clear_log()
    return _ok()


@CONTROL.route("POST", "/_sandbox/tokens")
def mint_token(ctx: Ctx):
    scopes = ctx.raw("scopes")
    if scopes is None:
        scopes = list(ctx.sandbox.ALL_SCOPES)
    elif isinstance(scopes, str):
        scopes = [s for s in scopes.replace(",", " ").split() if s]
    elif not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        raise bad_request("scopes must be a list of strings")
    email = ctx.text("email")
    token = ctx.sandbox.mint_token(scopes, email)
    rec = ctx.sandbox.tokens[token]
    return {
        "access_token": token,
        "token_type": "bearer",
        "scopes": sorted(rec.scopes),
        "email": rec.email,
    }


@CONTROL.route("DELETE", "/_sandbox/tokens/{token}")
def revoke_token(ctx: Ctx):
    if not ctx.sandbox.revoke_token(ctx.params["token"]):
        raise ApiError(404, "Token not found")
    return _ok(revoked=True)


@CONTROL.route("GET", "/_sandbox/faults")
def list_faults(ctx: Ctx):
    return {"faults": [f.to_json() for f in ctx.sandbox.faults.list()]}


@CONTROL.route("POST", "/_sandbox/faults")
def add_fault(ctx: Ctx):
    options = dict(ctx.body)
    unknown = sorted(set(options) - FAULT_OPTIONS)
    if unknown:
        raise bad_request(f"Unknown fault option: {', '.join(unknown)}")
    try:
        fault = ctx.sandbox.inject_fault(**options)
    except (TypeError, ValueError) as err:
        raise bad_request(str(err)) from None
    return _ok(fault=fault.to_json())


@CONTROL.route("DELETE", "/_sandbox/faults")
def clear_faults(ctx: Ctx):
    ctx.sandbox.clear_faults()
    return _ok()


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise bad_request(f"{name} must be a number")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise bad_request(f"{name} must be a number") from None
    if not 0 <= number <= 10 * 365 * 86400:
        raise bad_request(f"{name} must be between 0 and ten years")
    return number


@CONTROL.route("POST", "/_sandbox/advance")
def advance(ctx: Ctx):
    seconds = _number(ctx.raw("seconds"), "seconds")
    return _clock(ctx.sandbox.advance(seconds))


@CONTROL.route("POST", "/_sandbox/finish")
def finish(ctx: Ctx):
    return _clock(ctx.sandbox.finish_all())


@CONTROL.route("POST", "/_sandbox/reset")
def reset(ctx: Ctx):
    ctx.sandbox.reset()
    return _ok()


@CONTROL.route("GET", "/_sandbox/oauth/last-code")
def last_code(ctx: Ctx):
    grant = ctx.sandbox.last_code
    if grant is None:
        raise ApiError(404, "No authorization code has been issued")
    return {
        "code": grant["code"],
        "state": grant["state"],
        "scopes": grant["scopes"],
        "client_id": grant["client_id"],
        "redirect_uri": grant["redirect_uri"],
        "expires_at": iso_z(grant["expires_at"]),
        "used": grant["used"],
    }


@CONTROL.route("POST", "/_sandbox/fail-next")
def fail_next(ctx: Ctx):
    kind = ctx.text("kind", required=True)
    uid = ctx.text("stack_uid", required=True)
    if uid not in ctx.sandbox.stacks:
        raise ApiError(404, "Stack not found")
    try:
        ctx.sandbox.fail_next(kind, uid, ctx.text("message"))
    except ValueError as err:
        raise bad_request(str(err)) from None
    return _ok()


@CONTROL.route("GET", "/_sandbox/info")
def info(ctx: Ctx):
    """The clock, pending work and where the notable seed stacks are."""
    sandbox = ctx.sandbox
    named = {}
    for label, name in (
        ("deploying", seeds.DEPLOYING_STACK),
        ("history", seeds.HISTORY_STACK),
        ("failed", seeds.FAILED_STACK),
        ("maintenance", seeds.MAINTENANCE_STACK),
        ("markup", seeds.MARKUP_STACK),
        ("quiet", seeds.QUIET_STACK),
    ):
        try:
            named[label] = {"name": name, "uid": sandbox.find_stack(name).uid}
        except KeyError:
            pass
    now = sandbox.now()
    return {
        "now": iso_z(now),
        "epoch": now,
        "stacks": len(sandbox.stacks),
        "pending": sandbox.pending,
        "demo_token": sandbox.DEMO_TOKEN,
        "client_id": sandbox.config.client_id,
        "named_stacks": named,
    }

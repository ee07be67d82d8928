"""API routes: scheduled jobs (list, get, run now with arguments, pause and unpause).

All are ``public`` as documented. ``run_now`` accepts POST (and GET, as in the docs' Ruby
sample); its ``job_args`` are recorded in the action's ``metadata`` and finished message.
While a run is in progress the job's ``status`` is 1 (started); it ends 2 (success) or 3
(failed, when a failure was injected with fail-next ``action`` or ``job``).
"""

from __future__ import annotations

from c66tui.sandbox.envelope import not_found, single
from c66tui.sandbox.routing import API, Ctx


def _job(ctx: Ctx, stack):
    ident = ctx.params["job_uid"]
    for job in ctx.sandbox.details(stack).jobs:
        if job.uid == ident or str(job.id) == ident:
            return job
    raise not_found("Job", ident)


@API.route("GET", "/stacks/{uid}/jobs")
def list_jobs(ctx: Ctx):
    details = ctx.details()
    jobs = details.jobs
    server = ctx.query.get("server_uid")
    if server:
        if not any(s.uid == server for s in details.servers):
            raise not_found("Server", server)
        jobs = [j for j in jobs if j.server_uid == server]
    return ctx.listed(jobs)


@API.route("GET", "/stacks/{uid}/jobs/{job_uid}")
def get_job(ctx: Ctx):
    return single(_job(ctx, ctx.stack()).to_api())


@API.route("POST GET", "/stacks/{uid}/jobs/{job_uid}/run_now")
def run_job(ctx: Ctx):
    stack = ctx.stack()
    job = _job(ctx, stack)
    args = ctx.text("job_args")
    if args is None and ctx.raw("job_args") is None:
        items = ctx.raw("args")
        args = " ".join(str(a) for a in items) if isinstance(items, list) else None
    previous = job.status
    job.status = 1

    def effect(at: float) -> str:
        job.status = 2
        job.last_run_at = job.updated_at = at
        return f"Job {job.name} ran" + (f" with arguments: {args}" if args else "")

    def on_fail(at: float, message: str) -> None:
        job.status = 3
        job.last_run_at = job.updated_at = at

    action = ctx.sandbox.start_action(
        stack,
        "job_run_now",
        user=ctx.user,
        effect=effect,
        on_fail=on_fail,
        fail_kinds=("job", "action"),
        metadata={
            "job_uid": job.uid,
            "job_name": job.name,
            "job_args": args,
            "previous_status": previous,
        },
    )
    return single(action.to_api())


def _pause(ctx: Ctx, paused: bool):
    stack = ctx.stack()
    job = _job(ctx, stack)

    def effect(at: float) -> str:
        job.paused = paused
        job.updated_at = at
        return f"Job {job.name} {'paused' if paused else 'resumed'}"

    action = ctx.sandbox.start_action(
        stack,
        "job_pause_handler",
        user=ctx.user,
        effect=effect,
        metadata={"job_uid": job.uid, "paused": paused},
    )
    return single(action.to_api())


@API.route("POST", "/stacks/{uid}/jobs/{job_uid}/pause", keep=True)
def pause_job(ctx: Ctx):
    return _pause(ctx, True)


@API.route("POST", "/stacks/{uid}/jobs/{job_uid}/unpause", keep=True)
@API.route("POST", "/stacks/{uid}/jobs/{job_uid}/resume", keep=True)
def unpause_job(ctx: Ctx):
    return _pause(ctx, False)

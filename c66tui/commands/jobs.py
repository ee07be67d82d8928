"""``c66tui jobs list|run|pause|resume`` (as ``cx jobs``).

Writes go through :class:`~c66tui.ops.job_writes.JobWrites`: journal and local run
history before the one POST, no resend, and a look at the stack's actions when the
answer is lost (exit 4 unless that look finds the action). ``run`` without ``--wait``
ends once Cloud 66 accepted the run; with it, it follows the action and exits with the
job's outcome. Pause and resume always follow their (short) action.
"""

from __future__ import annotations

from typing import Any

from c66tui.commands import exit_codes
from c66tui.commands.confirm import confirm
from c66tui.commands.exit_codes import CommandError
from c66tui.commands.options import add_command, add_json, add_stack, add_write, uses_api
from c66tui.commands.resolve import pick
from c66tui.commands.writes import OUTCOME_EXIT, account_of, finish_write, stack_facts

JOB_SCOPE = None
"""Job writes are public in the documentation (the app uses the same rule); a 403 from
Cloud 66 still ends the command with exit 3."""


def register(commands: Any, common: Any) -> None:
    jobs = add_command(commands, "jobs", common, "list, run, pause and resume scheduled jobs")
    actions = jobs.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    listing = add_command(actions, "list", common, "the stack's jobs")
    add_stack(listing)
    add_json(listing)
    listing.set_defaults(run=uses_api(list_jobs))
    run = add_command(actions, "run", common, "run a job now")
    add_stack(run)
    run.add_argument("job", metavar="JOB", help="job name, unique prefix or uid")
    run.add_argument(
        "--arg",
        dest="job_args",
        action="append",
        default=[],
        metavar="ARG",
        help="an argument for the job (repeatable; joined with spaces)",
    )
    run.add_argument(
        "--wait", "--listen", dest="wait", action="store_true", help="follow the run to its end"
    )
    add_write(run)
    add_json(run)
    run.set_defaults(run=uses_api(run_job))
    for verb in ("pause", "resume"):
        parser = add_command(actions, verb, common, f"{verb} a job's schedule")
        add_stack(parser)
        parser.add_argument("job", metavar="JOB", help="job name, unique prefix or uid")
        add_write(parser)
        add_json(parser)
        parser.set_defaults(run=uses_api(pause_job if verb == "pause" else resume_job))


async def _job(context, stack) -> Any:
    jobs = await context.read(lambda api: api.list_jobs(stack.uid))
    return pick(jobs, context.args.job, "job", key=lambda j: j.name, ident=lambda j: j.uid)


async def list_jobs(context) -> int:
    """The stack's jobs."""
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.commands.documents import job_doc

    stack = await context.stack()
    jobs = await context.read(lambda api: api.list_jobs(stack.uid))
    if context.output.json_mode:
        context.output.document([job_doc(job) for job in jobs])
        return exit_codes.OK
    rows = [
        (job.name, job.type, job.cron, "paused" if job.paused else job.status_name, job.uid)
        for job in jobs
    ]
    context.output.table(("NAME", "TYPE", "SCHEDULE", "STATUS", "UID"), rows)
    return exit_codes.OK


def _writer(context, job) -> Any:
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.ops.job_history import JobHistory
    from c66tui.ops.job_writes import JobWrites

    say = context.output.say
    return JobWrites(
        context.services,
        JobHistory.default(),
        on_progress=lambda text: say(f"{job.name}: {text}"),
    )


async def run_job(context) -> int:
    """Run the job once; ``--wait`` follows it."""
    args = context.args
    stack = await context.stack()
    job = await _job(context, stack)
    context.require(JOB_SCOPE)
    job_args = " ".join(args.job_args)
    facts = [*stack_facts(stack, account_of(context)), ("Job", job.name)]
    facts.append(("Arguments", job_args or "(none)"))
    confirm(context.output, "run the job now", facts, stack=stack, assume_yes=args.yes)
    outcome = await _writer(context, job).run(job, stack, job_args, follow=args.wait)
    return _report(context, "job_run", stack, job, outcome)


async def _set_paused(context, pause: bool) -> int:
    stack = await context.stack()
    job = await _job(context, stack)
    context.require(JOB_SCOPE)
    if "paused" not in job.raw:
        raise CommandError(exit_codes.USAGE, "Cloud 66 does not offer pausing for this job")
    verb = "pause" if pause else "resume"
    facts = [*stack_facts(stack, account_of(context)), ("Job", job.name)]
    confirm(context.output, f"{verb} the job", facts, stack=stack, assume_yes=context.args.yes)
    outcome = await _writer(context, job).set_paused(job, stack, pause)
    return _report(context, f"job_{verb}", stack, job, outcome)


async def pause_job(context) -> int:
    """Pause the job's schedule."""
    return await _set_paused(context, True)


async def resume_job(context) -> int:
    """Resume the job's schedule."""
    return await _set_paused(context, False)


def _report(context, operation: str, stack: Any, job: Any, outcome: Any) -> int:
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.commands.documents import action_doc, job_doc, write_doc

    if outcome.refusal is not None:
        code = exit_codes.AUTH
    else:
        code = OUTCOME_EXIT.get(outcome.outcome, exit_codes.FAILED)
    doc = write_doc(
        operation,
        stack,
        outcome.outcome,
        outcome.message,
        request_id=outcome.request_id,
        entry_id=outcome.entry_id,
        job=job_doc(job),
        action=action_doc(outcome.action),
        followed=outcome.followed,
    )
    finish_write(context.output, doc, code)
    return code

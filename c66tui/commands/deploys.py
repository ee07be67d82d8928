"""``c66tui redeploy``, ``c66tui cancel`` and ``c66tui deployments list``.

A redeploy goes through the app's :class:`~c66tui.ops.redeploy.RedeployController`:
scope and read-only checks, a fresh look at the stack (a deploy already running is
said, and queued behind only when confirmed), the journal entry before the one POST,
no resend, and the deployments check when the answer is lost (exit 4).
"""

from __future__ import annotations

import argparse
from typing import Any

from c66tui.commands import exit_codes
from c66tui.commands.confirm import confirm
from c66tui.commands.exit_codes import CommandError
from c66tui.commands.options import add_command, add_json, add_stack, add_write, uses_api
from c66tui.commands.writes import (
    OUTCOME_EXIT,
    account_of,
    finish_write,
    refused_login,
    request_id_of,
    stack_facts,
)


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    redeploy = add_command(commands, "redeploy", common, "redeploy a stack (as cx redeploy)")
    add_stack(redeploy)
    redeploy.add_argument(
        "--git-ref",
        dest="git_ref",
        default="",
        metavar="REF",
        help="deploy this branch, tag or commit (default: the stack's branch)",
    )
    redeploy.add_argument(
        "--service",
        dest="services",
        action="append",
        default=[],
        metavar="NAME[:REF]",
        help="deploy only this service (repeatable; Docker stacks)",
    )
    add_wait(redeploy, "follow the deploy to its outcome and exit with it")
    add_write(redeploy)
    add_json(redeploy)
    redeploy.set_defaults(run=uses_api(redeploy_stack))

    cancel = add_command(commands, "cancel", common, "cancel the stack's running deploy")
    add_stack(cancel)
    add_write(cancel)
    add_json(cancel)
    cancel.set_defaults(run=uses_api(cancel_deploy))

    deployments = add_command(commands, "deployments", common, "a stack's deployment history")
    actions = deployments.add_subparsers(
        dest="deployments_command", metavar="ACTION", required=True
    )
    listing = add_command(actions, "list", common, "recent deployments, newest first")
    add_stack(listing)
    add_json(listing)
    listing.set_defaults(run=uses_api(list_deployments))


def add_wait(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--wait", "--listen", dest="wait", action="store_true", help=help_text)


# -- deployments list -------------------------------------------------------------


def deployment_table(output: Any, deployments: list) -> None:
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.commands.documents import deployment_doc

    rows = []
    for deployment in deployments:
        doc = deployment_doc(deployment)
        started = (doc["started_at"] or "")[:19].replace("T", " ")
        seconds = doc["duration_seconds"]
        took = f"{int(seconds)}s" if seconds is not None else ""
        commit = doc["git_hash"][:7]
        rows.append((doc["id"], doc["status"], started, took, doc["triggered_by"], commit))
    output.table(("ID", "STATUS", "STARTED", "TOOK", "BY", "COMMIT"), rows)


async def list_deployments(context) -> int:
    """The first page of the stack's deployments, newest first."""
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.commands.documents import deployment_doc

    stack = await context.stack()
    deployments = await context.read(lambda api: api.list_deployments(stack.uid))
    if context.output.json_mode:
        context.output.document([deployment_doc(d) for d in deployments])
    else:
        deployment_table(context.output, deployments)
    return exit_codes.OK


def exit_code_of(outcome: Any, status: str) -> int:
    """The exit code of a redeploy or cancel :class:`SendOutcome`."""
    if status == "failed" and refused_login(outcome.error):
        return exit_codes.AUTH
    return OUTCOME_EXIT[status]


# -- redeploy -----------------------------------------------------------------------


def _request(args: Any) -> Any:
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.ops.deploy_targets import ref_problem
    from c66tui.ops.redeploy import RedeployRequest

    problem = ref_problem(args.git_ref)
    if problem:
        raise CommandError(exit_codes.USAGE, problem)
    services = tuple(s.strip() for s in args.services if s.strip())
    for service in services:
        if any(ch.isspace() or ord(ch) < 32 for ch in service):
            raise CommandError(exit_codes.USAGE, f"--service '{service}' has a space in it")
    return RedeployRequest(git_ref=args.git_ref.strip(), services=services)


async def redeploy_stack(context) -> int:
    """Redeploy one stack once; with ``--wait``, follow the deploy to its outcome."""
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.ops.redeploy import controller_for, describe_deployment

    args, output = context.args, context.output
    request = _request(args)
    stack = await context.stack()
    context.require("redeploy")
    controller = controller_for(context.services)
    if not controller.claim(stack.uid):
        raise CommandError(exit_codes.USAGE, controller.busy_reason(stack.uid) or "busy")
    try:
        pre = await controller.preflight(stack.uid)
        facts = [*stack_facts(pre.stack, account_of(context)), ("Deploy", request.describe())]
        if pre.busy:
            running = next((d for d in pre.deployments if d.is_deploying), None)
            note = describe_deployment(running) if running else f"it is {pre.stack.status_name}"
            facts.append(("Already deploying", f"{note}; Cloud 66 will queue this one after it"))
        confirm(output, "redeploy", facts, stack=pre.stack, assume_yes=args.yes)
    except BaseException:
        controller.release(stack.uid)  # nothing was sent
        raise
    outcome = await controller.redeploy(pre.stack, request, preflight=pre)
    return await _report_redeploy(context, pre, outcome)


async def _report_redeploy(context, pre: Any, outcome: Any) -> int:
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.commands.documents import deployment_doc, write_doc
    from c66tui.commands.wait import Progress, follow_deploy
    from c66tui.ops.deploy_state import SUCCESS

    output, stack = context.output, pre.stack
    request_id = request_id_of(context, outcome.entry_id)
    extra: dict[str, Any] = {"deployment": None, "check": None, "action": None}
    if outcome.result is not None and outcome.result.async_action_id is not None:
        extra["action"] = {"id": outcome.result.async_action_id}
    status = outcome.status if outcome.status in OUTCOME_EXIT else "not_sent"
    exit_code = exit_code_of(outcome, status)
    message = outcome.message
    if status == "unknown" and outcome.reconcile is not None:
        extra["check"] = outcome.reconcile.summary
        extra["deployment"] = deployment_doc(outcome.reconcile.deployment)
        message = f"{message} Check: {outcome.reconcile.summary}"
    if status == "ok" and context.args.wait:
        output.say(f"{stack.name}: {outcome.message}")
        progress = Progress(output, stack.name)
        watch = await follow_deploy(context, pre.watch(outcome.sent_at), progress)
        extra["deployment"] = deployment_doc(watch.deployment)
        message = f"deployment #{watch.deployment_id} ended: {watch.phase}"
        if watch.phase != SUCCESS:
            status, exit_code = "failed", exit_codes.FAILED
    doc = write_doc(
        "redeploy",
        stack,
        status,
        message,
        request_id=request_id,
        entry_id=outcome.entry_id,
        **extra,
    )
    finish_write(output, doc, exit_code)
    return exit_code


# -- cancel -------------------------------------------------------------------------


async def cancel_deploy(context) -> int:
    """Cancel the stack's running (or queued) deploy, once."""
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.commands.documents import deployment_doc, write_doc
    from c66tui.ops.deploy_targets import cancel_target
    from c66tui.ops.redeploy import controller_for, describe_deployment

    args, output = context.args, context.output
    stack = await context.stack()
    context.require("redeploy")
    deployments = await context.read(lambda api: api.list_deployments(stack.uid))
    target = cancel_target(deployments)
    if target is None:
        raise CommandError(exit_codes.FAILED, f"{stack.name} has no running deploy to cancel")
    facts = [*stack_facts(stack, account_of(context)), ("Deploy", describe_deployment(target))]
    confirm(output, "cancel the deploy", facts, stack=stack, assume_yes=args.yes)
    controller = controller_for(context.services)
    outcome = await controller.cancel(stack, target)
    status = outcome.status if outcome.status in OUTCOME_EXIT else "not_sent"
    message = outcome.message
    check = outcome.reconcile.summary if outcome.reconcile is not None else None
    if check:
        message = f"{message} Check: {check}"
    doc = write_doc(
        "cancel",
        stack,
        status,
        message,
        request_id=request_id_of(context, outcome.entry_id),
        entry_id=outcome.entry_id,
        deployment=deployment_doc(target),
        check=check,
    )
    exit_code = exit_code_of(outcome, status)
    finish_write(output, doc, exit_code)
    return exit_code

"""``c66tui redeploy-queue NAME... [-e ENV] [--git-ref REF] [-y] [--json]``.

The stack list's redeploy queue as a command: the stacks are redeployed one after
another by the same :class:`~c66tui.ops.redeploy.QueueRunner` the app uses (journal
first, one request per stack, no resend), each followed to its outcome before the next
is sent; the queue stops at the first stack that does not deploy successfully. On a
terminal it asks once (with a production stack in the queue, the production stacks' names
are typed, as in the app); without one it needs ``-y``. A stack found deploying at its turn
is queued behind that deploy with ``-y``, asked about on a terminal. The exit code is
the first unsuccessful stack's: 1 failed or refused, 2 declined or busy, 4 unknown.
"""

from __future__ import annotations

from typing import Any

from c66tui.commands import exit_codes
from c66tui.commands.confirm import confirm
from c66tui.commands.exit_codes import CommandError
from c66tui.commands.options import add_command, add_environment, add_json, add_write, uses_api
from c66tui.commands.resolve import resolve_stack, stack_label
from c66tui.commands.writes import account_of

ITEM_EXIT = {
    "success": exit_codes.OK,
    "failed": exit_codes.FAILED,
    "cancelled": exit_codes.FAILED,
    "refused": exit_codes.FAILED,
    "not confirmed": exit_codes.USAGE,
    "skipped": exit_codes.USAGE,
    "outcome unknown": exit_codes.UNKNOWN,
}
"""The exit code each final state of a queued stack stands for."""


def register(commands: Any, common: Any) -> None:
    queue = add_command(
        commands, "redeploy-queue", common, "redeploy several stacks one after another"
    )
    queue.add_argument("names", nargs="+", metavar="NAME", help="stacks, in the order to deploy")
    add_environment(queue)
    queue.add_argument("--git-ref", dest="git_ref", default="", metavar="REF", help="ref to deploy")
    add_write(queue)
    add_json(queue)
    queue.set_defaults(run=uses_api(run_queue))


async def run_queue(context) -> int:
    """Redeploy the named stacks in order, each to its outcome; stop at the first miss."""
    # deferred: these load asyncio and the redeploy engine (the parser stays light)
    from c66tui.commands.documents import stack_ref
    from c66tui.commands.wait import Followed, Progress
    from c66tui.ops.deploy_targets import ref_problem
    from c66tui.ops.redeploy import QueueRunner, RedeployRequest, controller_for, production_names

    args, output = context.args, context.output
    if problem := ref_problem(args.git_ref):
        raise CommandError(exit_codes.USAGE, problem)
    request = RedeployRequest(git_ref=args.git_ref.strip())
    every = await context.stacks()
    stacks = [resolve_stack(every, name, args.environment) for name in args.names]
    if len({s.uid for s in stacks}) != len(stacks):
        raise CommandError(exit_codes.USAGE, "a stack is named twice: nothing was sent")
    context.require("redeploy")
    facts = [("Account", account_of(context) or "(unknown)"), ("Deploy", request.describe())]
    facts += [(f"{index}.", stack_label(s)) for index, s in enumerate(stacks, 1)]
    names = production_names(stacks)  # what the app's queue dialog asks for too
    typed = (f"type the production stacks' names ({names})", names) if names else None
    what = f"redeploy {len(stacks)} stacks in this order"
    confirm(output, what, facts, assume_yes=args.yes, typed=typed)

    async def confirm_busy(stack: Any) -> bool:
        if args.yes:
            return True
        try:
            facts = [("Stack", stack_label(stack)), ("Now", stack.status_name)]
            confirm(output, "queue a redeploy behind the running deploy", facts, stack=stack)
        except CommandError:
            return False
        return True

    def watch(pre: Any, outcome: Any) -> Followed:
        return Followed(context, pre.watch(outcome.sent_at), Progress(output, pre.stack.name))

    def progress(item: Any) -> None:
        output.say(
            f"{item.stack.name}: {item.state}" + (f" ({item.detail})" if item.detail else "")
        )

    runner = QueueRunner(
        controller_for(context.services),
        stacks,
        request,
        confirm_busy=confirm_busy,
        watch=watch,
        on_progress=progress,
    )
    items = await runner.run()
    missed = next((item for item in items if item.state != "success"), None)
    code = exit_codes.OK if missed is None else ITEM_EXIT.get(missed.state, exit_codes.FAILED)
    done = sum(1 for item in items if item.state == "success")
    message = f"{done} of {len(items)} stacks deployed"
    if runner.stopped_reason:
        message += f"; stopped: {runner.stopped_reason}"
    doc = {
        "operation": "redeploy_queue",
        "outcome": "ok" if missed is None else ("unknown" if code == 4 else "failed"),
        "message": message,
        "git_ref": request.git_ref or None,
        "stacks": [
            {"stack": stack_ref(i.stack), "state": i.state, "detail": i.detail} for i in items
        ],
    }
    finish_queue(output, doc, code)
    return code


def finish_queue(output: Any, doc: dict, code: int) -> None:
    """The queue's document (``--json``) or its one-line summary."""
    if output.json_mode:
        output.document(doc)
    elif code == exit_codes.OK:
        output.line(f"redeploy queue: {doc['message']}")
    else:
        output.say(f"redeploy queue: {doc['message']}")

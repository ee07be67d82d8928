"""What every write command shares: the facts it confirms, its result line or document,
its exit code, and the bridge to :func:`~c66tui.ops.setting_writes.perform_write`.

``perform_write`` (settings and environment variables) takes the session's services and
a ``notify`` callback. :class:`HeadlessHost` keeps those notices for the command line
(the command prints its own result); there is no screen whose keys need refreshing.
"""

from __future__ import annotations

from typing import Any

from c66tui.commands import exit_codes
from c66tui.commands.output import Output, sanitize

OUTCOME_EXIT = {
    "ok": exit_codes.OK,
    "failed": exit_codes.FAILED,
    "unknown": exit_codes.UNKNOWN,
    "not_sent": exit_codes.FAILED,
}
"""Exit code of each write outcome."""

WORDS = {"ok": "done", "failed": "failed", "unknown": "OUTCOME UNKNOWN", "not_sent": "not sent"}


def account_of(context: Any) -> str:
    """Who the write is made as, when known (the account e-mail or name)."""
    return getattr(context.services, "account_email", "") or ""


def stack_facts(stack: Any, account: str = "") -> list[tuple[str, str]]:
    """The lines every confirmation starts with: stack, environment, account."""
    environment = stack.environment.upper() if stack.is_production else stack.environment
    facts = [("Stack", stack.name), ("Environment", environment or "-")]
    if account or stack.account_name:
        facts.append(("Account", account or stack.account_name))
    return facts


def request_id_of(context: Any, entry_id: str | None) -> str:
    """The ``Request-Id`` the journal entry ``entry_id`` was sent with."""
    if not entry_id:
        return ""
    entry = context.services.journal.get(entry_id)
    return entry.request_id if entry is not None else ""


def finish_write(output: Output, doc: dict, exit_code: int) -> None:
    """Print a write's document (``--json``) or its one-line result (standard output
    when done, standard error otherwise)."""
    if output.json_mode:
        output.document(doc)
        return
    word = WORDS.get(doc["outcome"], doc["outcome"])
    line = f"{sanitize(doc['stack']['name'])}: {doc['operation']} {word}"
    if doc["message"]:
        line += f": {sanitize(doc['message'])}"
    if doc["outcome"] == "unknown" and "not sent again" not in line.lower():
        line += " It was not sent again; see c66tui journal."
    if exit_code == exit_codes.OK:
        output.line(line)
    else:
        output.say(line)


class HeadlessHost:
    """The session and notices of a write command (no screen)."""

    def __init__(self, services: Any) -> None:
        self.services = services
        self.notices: list[tuple[str, str]] = []

    def notify(self, message: str, severity: str = "information", **_options: Any) -> None:
        self.notices.append((severity, message))


def refused_login(error: BaseException | None) -> bool:
    """Whether a write failed because of the login (401, or 403 for a scope): exit 3."""
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.api.errors import AuthenticationError, MissingScopeError

    return isinstance(error, AuthenticationError | MissingScopeError)


async def perform(context: Any, write: Any) -> tuple[Any, int]:
    """Send ``write`` (a :class:`~c66tui.ops.setting_writes.Write`) once via the shared
    write path, with its progress on standard error; returns the result and exit code."""
    # deferred: the parser imports this module; what the command needs loads when it runs
    from c66tui.ops.setting_writes import perform_write

    host = HeadlessHost(context.services)
    result = await perform_write(
        host.services, write, notify=host.notify, progress=context.output.say
    )
    code = OUTCOME_EXIT.get(result.outcome, exit_codes.FAILED)
    if result.outcome == "failed" and refused_login(result.error):
        code = exit_codes.AUTH
    return result, code

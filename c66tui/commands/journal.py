"""``c66tui journal [--pending] [--limit N] [--json]``: the writes recorded on this machine.

No network: it reads the journal file. ``--pending`` keeps the entries with no outcome
(the process stopped between sending and recording the answer); entries whose outcome
is "unknown" are shown as such and can be checked from the app's Journal screen.
"""

from __future__ import annotations

from typing import Any

from c66tui.commands import exit_codes
from c66tui.commands.options import add_command, add_json
from c66tui.commands.output import Output, pick


def register(commands: Any, common: Any) -> None:
    journal = add_command(commands, "journal", common, "list recorded redeploys and other writes")
    journal.add_argument("--limit", type=int, default=50, help="show the last N (default 50)")
    journal.add_argument(
        "--pending",
        action="store_true",
        help="only entries whose outcome is unknown (none recorded, or recorded as unknown)",
    )
    add_json(journal)
    journal.set_defaults(run=cmd_journal)


def entry_doc(entry: Any) -> dict[str, Any]:
    """One journal entry for ``--json`` (``outcome`` is ``null`` while pending)."""
    return {
        **pick(entry, "id", "kind", "profile", "stack_uid", "stack_name", "params"),
        **pick(entry, "started_at", "finished_at", "user", "account", "outcome", "pending"),
        "detail": entry.detail,
        "request_id": entry.request_id or None,
    }


def cmd_journal(args: Any) -> int:
    """Print the journal as a plain table (or JSON)."""
    # deferred until the command runs: the parser is built on every start
    from c66tui.config import paths
    from c66tui.ops.journal import Journal
    from c66tui.text import sanitize

    output = Output(json_mode=bool(getattr(args, "json", False)))
    journal = Journal(paths.journal_file())
    entries = journal.unresolved() if args.pending else journal.entries()
    if args.limit and args.limit > 0:
        entries = entries[-args.limit :]
    if output.json_mode:
        output.document([entry_doc(entry) for entry in entries])
        return exit_codes.OK
    if not entries:
        nothing = "No action with an unknown outcome" if args.pending else "No actions recorded"
        print(f"{nothing} (journal: {journal.path})")
        return exit_codes.OK
    header = ("STARTED (UTC)", "OUTCOME", "KIND", "PROFILE", "STACK", "BY", "DETAIL")
    rows = []
    for entry in entries:
        started = entry.started_at.strftime("%Y-%m-%d %H:%M:%S") if entry.started_at else "?"
        rows.append(
            (
                started,
                entry.outcome or "pending",
                entry.kind,
                entry.profile,
                entry.stack_name or entry.stack_uid,
                entry.user,
                entry.detail,
            )
        )
    cells = [[sanitize(cell)[:40] for cell in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header) - 1)]
    for row in cells:
        line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        print(f"{line}  {row[-1]}".rstrip())
    return exit_codes.OK

"""The exit codes every command shares, and the error that carries one.

Scripts rely on these numbers; they never change meaning:

====  =====================================================================
0     done
1     the operation ran and failed (a deploy or job failed, a write refused)
2     usage error, confirmation refused, or a stack/job/key name not resolved
3     not logged in, token refused, scope missing, or the profile is read-only
4     outcome unknown: the write was sent but its answer was lost (see the journal)
5     the API could not be reached or kept failing (network, 5xx, rate limit)
====  =====================================================================

This module imports nothing, so the command line can use it at start-up.
"""

from __future__ import annotations

OK = 0
FAILED = 1
USAGE = 2
AUTH = 3
UNKNOWN = 4
UNREACHABLE = 5
INTERRUPTED = 130

HELP = (
    "Exit codes: 0 done; 1 the operation ran and failed; 2 usage error, confirmation "
    "refused or name not resolved; 3 not logged in, token refused, scope missing or "
    "read-only profile; 4 outcome unknown (sent, answer lost: see c66tui journal); "
    "5 the API could not be reached or kept failing."
)


class CommandError(Exception):
    """Ends a command with ``code`` and a plain ``message`` for standard error.

    ``document`` is printed on standard output instead of nothing when ``--json`` is on
    (e.g. the candidates of an ambiguous name).
    """

    def __init__(self, code: int, message: str, document: object = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.document = document

"""Timings for tests of a lost answer: the client gives up long before the sandbox answers.

The client's limits are generous enough that ordinary reads never time out on a busy
two-core machine; the injected delay is well beyond the client's deadline, so the write's
answer is always the one that is lost.
"""

SLOW_ANSWER_CLIENT = {"timeout": 2.0, "deadline": 4.0}
"""Client limits for a test whose write must time out (reads must not)."""

SLOW_ANSWER_DELAY = 6.0
"""Seconds the sandbox holds the write's answer: past the client's deadline."""

"""What a command that talks to Cloud 66 runs with, and how its failures become exit codes.

:func:`execute` resolves the settings exactly as the app does (profile, ``--api-url``,
``CLOUD66_TOKEN`` or the saved token, ``--read-only``), builds the same
:class:`~c66tui.ops.services.AppServices` (journal, single flight, scopes), runs the
command's coroutine and closes the client. Errors from the service layer map onto the
shared exit codes (:func:`exit_code_for`); nothing is retried here: reads are retried by
the client as usual, writes never.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from c66tui.api.errors import (
    AuthenticationError,
    Cloud66Error,
    MissingScopeError,
    NetworkError,
    OutcomeUnknownError,
    RateLimitedError,
    ServerError,
    UnexpectedResponseError,
)
from c66tui.api.models import Stack
from c66tui.commands import exit_codes
from c66tui.commands.exit_codes import CommandError
from c66tui.commands.output import Output
from c66tui.commands.resolve import resolve_stack
from c66tui.config import load_settings
from c66tui.config.errors import ConfigError
from c66tui.ops.services import AppServices
from c66tui.text import sanitize

NOT_LOGGED_IN = (
    "not logged in: run c66tui login --with-token < token-file (or start c66tui to log "
    "in), or set CLOUD66_TOKEN"
)


def exit_code_for(error: Cloud66Error) -> int:
    """The exit code of a service-layer error that ended a command."""
    if isinstance(error, OutcomeUnknownError):
        return exit_codes.UNKNOWN
    if isinstance(error, AuthenticationError | MissingScopeError):
        return exit_codes.AUTH
    if isinstance(error, NetworkError | RateLimitedError | ServerError | UnexpectedResponseError):
        return exit_codes.UNREACHABLE
    return exit_codes.FAILED


def describe_error(error: Cloud66Error) -> str:
    """A plain sentence for a service-layer error."""
    if isinstance(error, AuthenticationError):
        return f"Cloud 66 refused the token (401): log in again. {sanitize(error.message)}"
    return sanitize(error.message) or type(error).__name__


class Context:
    """The settings, services and output of one command run."""

    def __init__(self, args: Any, output: Output) -> None:
        self.args = args
        self.output = output
        self.settings = load_settings(args)
        self.services = AppServices(self.settings)
        self._stacks: list[Stack] | None = None

    # -- connection ---------------------------------------------------------------

    async def connect(self) -> Any:
        """The API client for the profile's token (exit 3 when there is none)."""
        if self.services.api is not None:
            return self.services.api
        token = self.settings.token
        if token is None:
            if self.settings.credentials_error is not None:
                raise CommandError(exit_codes.AUTH, str(self.settings.credentials_error))
            raise CommandError(exit_codes.AUTH, NOT_LOGGED_IN)
        self.services.scopes = self.services.starting_scopes()
        return await self.services.connect(token)

    async def close(self) -> None:
        await self.services.disconnect()

    def require(self, scope: str | None, *, write: bool = True) -> None:
        """Refuse (exit 3, nothing sent) as the app would: read-only profile or scope."""
        reason = self.services.permission(scope, write=write)
        if reason:
            raise CommandError(exit_codes.AUTH, f"not allowed: {reason}. Nothing was sent.")

    async def read(self, call: Callable[[Any], Awaitable[Any]]) -> Any:
        """Run a read (a GET) with the connected client."""
        await self.connect()
        return await self.services.read(call)

    # -- stacks -------------------------------------------------------------------

    async def stacks(self) -> list[Stack]:
        """Every stack of the account, fetched now (and kept for shell completion)."""
        if self._stacks is None:
            self._stacks = await self.read(lambda api: api.list_stacks())
            raw = [stack.raw for stack in self._stacks]
            await asyncio.to_thread(self.services.cache.save, self.services.profile_name, raw)
        return self._stacks

    async def stack(self) -> Stack:
        """The stack named by ``-s STACK`` (narrowed by ``-e ENV``)."""
        stacks = await self.stacks()
        return resolve_stack(stacks, self.args.stack, getattr(self.args, "environment", None))


def execute(args: Any, command: Callable[[Context], Awaitable[int]]) -> int:
    """Run ``command`` with a fresh :class:`Context`; returns the exit code."""
    output = Output(json_mode=bool(getattr(args, "json", False)))
    try:
        context = Context(args, output)
    except CommandError as error:
        return fail(output, error.code, error.message, error.document)
    except ConfigError as error:
        return fail(output, exit_codes.USAGE, str(error))
    return asyncio.run(_run(context, command))


async def _run(context: Context, command: Callable[[Context], Awaitable[int]]) -> int:
    output = context.output
    try:
        return await command(context)
    except CommandError as error:
        return fail(output, error.code, error.message, error.document)
    except Cloud66Error as error:
        return fail(output, exit_code_for(error), describe_error(error))
    finally:
        await context.close()


def fail(output: Output, code: int, message: str, document: Any = None) -> int:
    """Say why the command ended, print the JSON error document, return ``code``."""
    output.error(message)
    if output.json_mode:
        doc = {"error": {"exit_code": code, "message": message}}
        if isinstance(document, dict):
            doc["error"].update(document)
        output.document(doc)
    return code

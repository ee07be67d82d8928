"""``c66tui env-vars download``: a stack's variables as one dotenv or JSON text (as cx).

The text comes from Cloud 66 as it is (``GET /api/3/stacks/{uid}/environments`` with
``environments_format`` and ``requested_types``, the Go library's ``StackEnvVarsString``)
and holds every value, passwords included. It goes only where the user asked:

* to standard output, byte for byte (UTF-8) when piped; on a terminal, control characters
  other than newline and tab are shown escaped so a hostile value cannot drive it;
* or, with ``-o FILE``, into FILE: written atomically (a temporary file in the same
  folder, then a rename), readable only by the user (mode 0600), never over a directory,
  device, FIFO or dangling link (a link to a regular file is written through).

Nothing of the text reaches the journal, a log or standard error; ``--json`` prints one
document (with ``contents`` only when it goes to standard output).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

from c66tui.commands import exit_codes
from c66tui.commands.exit_codes import CommandError
from c66tui.commands.options import add_command, add_json, add_stack, uses_api

FORMATS = ("dotenv", "json")
KINDS = ("all", "user", "generated", "locked")
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def register(actions: Any, common: Any) -> None:
    """Add ``download`` to the ``env-vars`` actions."""
    download = add_command(
        actions, "download", common, "the stack's variables as one dotenv or JSON text"
    )
    add_stack(download)
    download.add_argument(
        "--format", dest="env_format", choices=FORMATS, default="dotenv",
        help="dotenv (default) or json",
    )  # fmt: skip
    download.add_argument(
        "--kind", dest="kinds", action="append", choices=KINDS, metavar="KIND",
        help="all (default), user, generated or locked; repeat for several",
    )  # fmt: skip
    download.add_argument(
        "-o", "--output", dest="output_file", metavar="FILE",
        help="write FILE (mode 0600, replaced atomically) instead of standard output",
    )  # fmt: skip
    add_json(download)
    download.set_defaults(run=uses_api(download_env_vars))


def checked_target(name: str) -> Path:
    """The file ``-o`` names, refused (exit 2) unless it is absent or a regular file in
    an existing folder."""
    path = Path(name)
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise CommandError(exit_codes.USAGE, f"cannot use {name}: {error.strerror}") from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        try:
            info = path.stat()
        except OSError:
            raise CommandError(
                exit_codes.USAGE, f"{name} is a link to nothing: not written"
            ) from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise CommandError(exit_codes.USAGE, f"{name} is not a regular file: not written")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise CommandError(exit_codes.USAGE, f"no such folder: {folder}")
    return path


def encoded(text: str) -> bytes:
    """``text`` as UTF-8 (undecodable bytes read earlier come back as they were)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def for_terminal(text: str) -> str:
    """``text`` with control characters (not newline or tab) shown as ``\\xNN``."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def write_stdout(stream: Any, text: str) -> bool:
    """Print ``text`` on ``stream``; True when something had to be shown escaped."""
    if stream.isatty():
        shown = for_terminal(text)
        stream.write(shown)
        if shown and not shown.endswith("\n"):
            stream.write("\n")
        stream.flush()
        return shown != text
    stream.flush()
    stream.buffer.write(encoded(text))
    stream.buffer.flush()
    return False


async def download_env_vars(context) -> int:
    """Fetch the variables' text and put it on standard output or into ``-o FILE``."""
    # deferred until the command runs: the parser is built on every start
    from c66tui.config.atomic import atomic_write

    args = context.args
    kinds = tuple(dict.fromkeys(args.kinds or ["all"]))
    to_stdout = args.output_file in (None, "-")
    target = None if to_stdout else checked_target(args.output_file)
    stack = await context.stack()
    text = await context.read(lambda api: api.download_env_vars(stack.uid, args.env_format, kinds))
    doc: dict[str, Any] = {
        "stack": {"uid": stack.uid, "name": stack.name},
        "format": args.env_format,
        "kinds": list(kinds),
    }
    if to_stdout:
        if context.output.json_mode:
            context.output.document({**doc, "contents": text})
        elif write_stdout(context.output.out, text):
            context.output.say(
                "Control characters were shown escaped; pipe the output or use -o FILE "
                "for the exact text."
            )
        return exit_codes.OK
    checked_target(args.output_file)  # again, just before writing: it may have changed
    try:
        written = atomic_write(target, encoded(text), mode=0o600)
    except OSError as error:
        raise CommandError(
            exit_codes.FAILED, f"could not write {target}: {error.strerror or error}"
        ) from None
    size = os.path.getsize(written)
    if context.output.json_mode:
        context.output.document({**doc, "file": str(target), "bytes": size})
    else:
        context.output.say(
            f"Wrote the variables of {stack.name} to {target} ({size} bytes, readable only by you)."
        )
    return exit_codes.OK

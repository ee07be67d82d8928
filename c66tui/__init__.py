"""c66tui: a keyboard-driven terminal application for operating Cloud 66 stacks."""

import sys
import types

__version__ = "0.1.0"


def _without_httpx_cli() -> None:
    """Keep httpx from loading its command-line tool, which c66tui never runs.

    ``import httpx`` imports ``httpx._main`` whenever click is installed (uvicorn, the
    sandbox's server, installs it): click, Pygments' lexers and Rich's syntax, progress
    and table modules, about 17 ms of the first connection (a first demo waits for it
    before its list). A stand-in module holding only a ``main`` that loads the real tool
    takes its place, unless httpx is already imported.
    """
    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return
    stand_in = types.ModuleType("httpx._main", "httpx's command-line tool, loaded on use.")

    def main(*args, **kwargs):
        del sys.modules["httpx._main"]
        from httpx._main import main as real_main  # the real tool, asked for by name

        return real_main(*args, **kwargs)

    stand_in.main = main
    sys.modules["httpx._main"] = stand_in


_without_httpx_cli()

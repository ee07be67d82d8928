"""httpx is loaded without its command-line tool (click, Pygments), which c66tui never runs,
and the tool still works when asked for (see ``c66tui/__init__.py``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(script: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_api_client_loads_httpx_without_click_or_pygments():
    out = _run(
        """
        import sys
        import c66tui.api.client
        import httpx
        print(sorted(m for m in ("click", "pygments.lexers", "rich.syntax") if m in sys.modules))
        print(httpx.AsyncClient.__name__)
        """
    )
    assert out.splitlines() == ["[]", "AsyncClient"]


def test_httpx_main_still_loads_the_real_tool_on_use():
    out = _run(
        """
        import sys
        import c66tui, httpx
        try:
            httpx.main(["--help"], standalone_mode=False)
        except SystemExit:
            pass
        print("click" in sys.modules)
        """
    )
    assert out.splitlines()[-1] == "True"

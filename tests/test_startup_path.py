"""What the first frame needs is all that start-up loads.

The app shows the cached stack list before it imports httpx, builds an HTTP client or
sends a request; these tests pin the imports that make that possible.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_models_and_secret_load_without_httpx():
    result = _run(
        """
        import sys
        import c66tui.api
        from c66tui.api import Secret, Stack, Cloud66Error
        from c66tui.api.models import RateLimit
        loaded = [n for n in ("httpx", "c66tui.api.client", "c66tui.api.oauth") if n in sys.modules]
        print(loaded)
        sys.exit(1 if loaded else 0)
        """
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_names_still_resolve_on_first_use():
    result = _run(
        """
        import sys
        import c66tui.api as api
        from c66tui.api import Cloud66Client
        from c66tui.api.client import Cloud66Client as Direct
        assert Cloud66Client is Direct
        assert "httpx" in sys.modules
        missing = [name for name in api.__all__ if getattr(api, name, None) is None]
        assert not missing, missing
        assert set(api.__all__) <= set(dir(api))
        try:
            api.NoSuchThing
        except AttributeError as error:
            assert "NoSuchThing" in str(error)
        else:
            raise SystemExit("an unknown name resolved")
        """
    )
    assert result.returncode == 0, result.stdout + result.stderr

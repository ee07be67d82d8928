"""Package names load their submodule on first use, and only then."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_names_and_submodules_load_on_first_use():
    script = """
        import sys
        import c66tui.config as config
        assert "c66tui.config.paths" not in sys.modules
        assert "platformdirs" not in sys.modules
        assert config.paths is sys.modules["c66tui.config.paths"]
        assert config.ConfigStore.__module__ == "c66tui.config.store"
        assert "paths" in dir(config) and "load_settings" in dir(config)
        try:
            config.no_such_name
        except AttributeError as error:
            assert "no_such_name" in str(error)
        else:
            raise SystemExit("an unknown name resolved")
    """
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr

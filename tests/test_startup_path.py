"""What the first frame needs is all that start-up loads.

The app shows the cached stack list before it imports httpx, builds an HTTP client or
sends a request. The first tests pin the imports that make that possible; the others run
the installed command in a pseudo-terminal with a warm cache and check the order of
events: the list is on screen before the sandbox logs a request, without waiting for an
API that never answers, and a demo started again paints before it starts its sandbox.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from tests.benchmarks.bench_startup import PtyProcess, app_env, c66tui_argv, name_matcher

SCOPES = ["public", "redeploy", "jobs", "admin", "users"]


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


def test_first_frame_modules_load_without_httpx_or_the_sandbox():
    """The app, its first screen and the settings it starts from need no HTTP stack (nor
    the command palette's providers)."""
    result = _run(
        """
        import sys
        import c66tui.cli
        from c66tui.config import load_settings
        from types import SimpleNamespace
        import c66tui.ui.app
        import c66tui.ui.screens.stacks
        from c66tui.ops.services import AppServices
        profile = SimpleNamespace(name="default", scopes=("public",))
        settings = SimpleNamespace(profile=profile, token=None, token_source="env", config=None)
        assert "admin" in AppServices(settings=settings).starting_scopes()  # as on_mount does
        heavy = ("httpx", "httpcore", "starlette", "c66tui.sandbox", "c66tui.api.client",
                 "c66tui.ui.commands")  # the palette's providers load when it opens
        loaded = [n for n in heavy if n in sys.modules]
        print(loaded)
        sys.exit(1 if loaded else 0)
        """
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- the real command in a pseudo-terminal, with a warm cache ---------------------------


def _api_stacks(api_url: str, token: str) -> list[dict]:
    """Every stack as the API lists it (what the app caches)."""
    stacks: list[dict] = []
    page = 1
    while page:
        request = urllib.request.Request(f"{api_url}/stacks.json?page={page}")
        request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=30) as answer:
            body = json.loads(answer.read())
        stacks.extend(body["response"])
        page = (body.get("pagination") or {}).get("next")
    return stacks


def _warm_cache(stacks: list[dict], api_url: str) -> None:
    """Cache ``stacks`` for the default profile as read from ``api_url``."""
    from c66tui.config import paths
    from c66tui.ops.cache import StackCache

    StackCache(paths.cache_dir()).save("default", stacks, api_url)


def _start(tmp_path: Path, api_url: str, token: str) -> PtyProcess:
    env = app_env(tmp_path / "run", CLOUD66_TOKEN=token)
    return PtyProcess([*c66tui_argv(), "--api-url", api_url], env)


def test_cached_list_is_on_screen_before_the_first_request(sandbox, tmp_path, monkeypatch):
    token = sandbox.sandbox.mint_token(SCOPES)
    stacks = _api_stacks(sandbox.api_url, token)
    monkeypatch.setenv("C66TUI_CACHE_DIR", str(tmp_path / "run" / "cache"))
    _warm_cache(stacks, sandbox.api_url)
    sandbox.sandbox.clear_log()
    app = _start(tmp_path, sandbox.api_url, token)
    try:
        app.wait_for(name_matcher(stacks), timeout=30)
        before_first_frame = [entry.get("path") for entry in sandbox.sandbox.request_log]
        deadline = time.monotonic() + 30
        while not any("/stacks" in str(e.get("path")) for e in sandbox.sandbox.request_log):
            assert time.monotonic() < deadline, "the list was never refreshed from the API"
            app.read(0.1)
    finally:
        app.close()
    assert before_first_frame == []


def test_cached_list_does_not_wait_for_an_api_that_never_answers(sandbox, tmp_path, monkeypatch):
    token = sandbox.sandbox.mint_token(SCOPES)
    stacks = _api_stacks(sandbox.api_url, token)
    monkeypatch.setenv("C66TUI_CACHE_DIR", str(tmp_path / "run" / "cache"))
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        api_url = f"http://127.0.0.1:{silent.getsockname()[1]}/api/3"
        _warm_cache(stacks, api_url)
        app = _start(tmp_path, api_url, token)
        try:
            app.wait_for(name_matcher(stacks), timeout=8)
        except TimeoutError as error:
            pytest.fail(f"the cached list waited for the API: {error}")
        finally:
            app.close()


def test_demo_started_again_shows_its_cached_list_before_starting_the_sandbox(tmp_path):
    """With ``-X importtime`` the import lines and Textual's frames share one stream, in
    order: the cached stacks are on screen before Starlette or httpx is imported."""
    from c66tui.sandbox.seed import DEPLOYING_STACK

    env = app_env(tmp_path / "run")
    first = PtyProcess([*c66tui_argv(), "--demo"], env)
    try:
        first.wait_for(lambda out: DEPLOYING_STACK.encode() in out, timeout=30)
        first.settle(quiet=1.0, limit=15)  # the fetched list is cached meanwhile
    finally:
        first.close()
    log = tmp_path / "second.log"
    argv = [sys.executable, "-X", "importtime", "-m", "c66tui", "--demo"]
    second = PtyProcess(argv, env, stderr_path=log)
    try:
        deadline = time.monotonic() + 30
        while DEPLOYING_STACK.encode() not in log.read_bytes():
            assert time.monotonic() < deadline, "the second demo showed no stack"
            second.read(0.05)
    finally:
        second.close()
    text = log.read_bytes()
    before_frame = text[: text.index(DEPLOYING_STACK.encode())]
    assert re.search(rb"\| +c66tui\.ui\.app\r?\n", before_frame)  # the lines are there
    for module in (rb"starlette", rb"httpx"):
        line = re.search(rb"\| +" + module + rb"\r?\n", before_frame)
        assert line is None, f"{module.decode()} was imported before the first frame"

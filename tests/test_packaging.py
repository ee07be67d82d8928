"""The wheel ships everything the app needs at run time, and works once installed.

The wheel is built with ``pip wheel --no-deps`` from a copy of the project (so the build
never writes into the working tree), then inspected, then installed with ``--no-deps``
into a target folder and imported from there, not from the source tree.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import c66tui

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel once for this module."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(
        ROOT / "c66tui", src / "c66tui", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    out = work / "dist"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    wheels = list(out.glob("c66tui-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_every_tcss_file_is_in_the_wheel(wheel):
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "c66tui").rglob("*.tcss")}
    assert "c66tui/ui/app.tcss" in sources
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(sources - names)
    assert not missing, f"style sheets missing from the wheel: {missing}"


def test_every_json_data_file_is_in_the_wheel(wheel):
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "c66tui").rglob("*.json")}
    assert "c66tui/sandbox/seed_words.json" in sources
    missing = sorted(sources - set(zipfile.ZipFile(wheel).namelist()))
    assert not missing, f"data files missing from the wheel: {missing}"


def test_wheel_holds_every_package_and_no_tests(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    packages = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "c66tui").rglob("*.py")}
    in_wheel = {Path(n).parent.as_posix() for n in names if n.endswith(".py")}
    assert packages <= in_wheel, sorted(packages - in_wheel)
    assert not [n for n in names if n.startswith("tests/")]


def test_wheel_metadata_has_the_command_and_version(wheel):
    archive = zipfile.ZipFile(wheel)
    entry = next(n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt"))
    parser = configparser.ConfigParser()
    parser.read_string(archive.read(entry).decode())
    assert parser["console_scripts"]["c66tui"] == "c66tui.cli:main"
    assert f"-{c66tui.__version__}-" in wheel.name


def test_installed_wheel_finds_its_style_sheets(wheel, tmp_path):
    target = tmp_path / "site"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    probe = (
        "import pathlib, c66tui, c66tui.ui.app as a\n"
        "root = pathlib.Path(c66tui.__file__).parent\n"
        "print(root)\n"
        "paths = a.C66App.CSS_PATH\n"
        "paths = [paths] if isinstance(paths, str) else paths\n"
        "here = pathlib.Path(a.__file__).parent\n"
        "print(bool(paths) and all((here / p).is_file() for p in paths))\n"
    )
    run = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path[:0] = [{str(target)!r}]\n{probe}"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    root, css_found = run.stdout.split()
    assert Path(root).is_relative_to(target), root
    assert css_found == "True"


def _tool(name: str) -> str:
    """The installer ``name`` from this environment (``uv`` and ``pipx`` come with the test
    extras), next to the running Python first."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install '.[test]' brings it")
    return found


def _clean_env(tmp_path: Path) -> dict[str, str]:
    """An environment without this test run's virtual environment or c66tui settings."""
    import os

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH") and not k.startswith("C66TUI_")
    }
    env["HOME"] = str(tmp_path / "home")
    for name in ("CONFIG", "CACHE", "STATE"):
        env[f"C66TUI_{name}_DIR"] = str(tmp_path / name.lower())
    return env


def _installed_command(installer: str, wheel: Path, tmp_path: Path, env: dict) -> Path:
    """Install ``wheel`` (with its dependencies) the way a user of ``installer`` would, into
    a clean place of its own; return the ``c66tui`` command it put on disk."""
    venv = tmp_path / "venv"
    if installer == "pip":
        commands = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
        ]
        command = venv / "bin" / "c66tui"
    elif installer == "uv":
        uv = _tool("uv")
        commands = [
            [uv, "venv", "-q", "--python", sys.executable, str(venv)],
            [uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python"), str(wheel)],
        ]
        command = venv / "bin" / "c66tui"
    else:
        env["PIPX_HOME"] = str(tmp_path / "pipx")
        env["PIPX_BIN_DIR"] = str(tmp_path / "pipx-bin")
        commands = [[_tool("pipx"), "install", "--python", sys.executable, str(wheel)]]
        command = tmp_path / "pipx-bin" / "c66tui"
    for argv in commands:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=600, env=env)
        assert done.returncode == 0, f"{argv}:\n{done.stdout}{done.stderr}"
    return command


@pytest.mark.parametrize("installer", ["pip", "uv", "pipx"])
def test_installs_with_pip_uv_and_pipx_into_a_clean_environment(installer, wheel, tmp_path):
    env = _clean_env(tmp_path)
    command = _installed_command(installer, wheel, tmp_path, env)
    version = subprocess.run(
        [str(command), "--version"], capture_output=True, text=True, timeout=60, env=env
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"c66tui {c66tui.__version__}"
    # The installed command runs the app's code from its own place, not this source tree.
    where = subprocess.run(
        [str(command), "config", "path"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )
    assert where.returncode == 0, where.stderr
    assert str(tmp_path / "config") in where.stdout
    probe = subprocess.run(
        [str(command.resolve().parent / "python"), "-c", "import c66tui; print(c66tui.__file__)"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )
    assert probe.returncode == 0, probe.stderr
    assert not Path(probe.stdout.strip()).is_relative_to(ROOT)

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
        "css = pathlib.Path(a.__file__).parent / a.C66App.CSS_PATH\n"
        "print(css.is_file())\n"
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

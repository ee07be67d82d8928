"""The screenshot script renders every main screen of the demo.

It runs the real script (``python screenshots/generate.py``) in a subprocess into a
temporary folder and checks each picture shows its screen, with times in the past as the
frozen clock says, and that the pictures committed in ``screenshots/`` are these ones (the
script is deterministic, so a UI change without new pictures fails here).
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {
    "stacks": ["40 stacks", "shop-backend"],
    "detail": ["Deployments, newest first", "Servers by group"],
    "redeploy": ["Redeploy stack?", "PRODUCTION"],
    "watch": ["Deploy watch", "shop-frontend"],
    "jobs": ["3 jobs", "Run now"],
    "settings": ["maintenance.mode", "Env vars"],
    "login": ["/oauth/authorize?", "Paste the code"],
    "help": ["Keys: Stacks", "Everywhere"],
}


def svg_text(path: Path) -> str:
    """The text of a Textual SVG screenshot, spaces restored."""
    parts = re.findall(r"<text [^>]*>(.*?)</text>", path.read_text())
    return html.unescape("".join(parts)).replace("\xa0", " ")


def test_screenshot_script_renders_every_screen(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "screenshots" / "generate.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.stem for p in tmp_path.glob("*.svg")) == sorted(EXPECTED)
    for name, words in EXPECTED.items():
        text = svg_text(tmp_path / f"{name}.svg")
        for word in words:
            assert word in text, f"{word!r} not in {name}.svg"
    assert "sandbox-demo-token" not in "".join(p.read_text() for p in tmp_path.glob("*.svg"))
    ahead = re.compile(r"\bin \d+[smhd]\b")
    future = [n for n in EXPECTED if ahead.search(svg_text(tmp_path / f"{n}.svg"))]
    assert not future, f"times in the future (the demo's clock is not pinned): {future}"
    stale = [
        name
        for name in EXPECTED
        if (tmp_path / f"{name}.svg").read_bytes()
        != (ROOT / "screenshots" / f"{name}.svg").read_bytes()
    ]
    assert not stale, f"run python screenshots/generate.py and commit: {stale} changed"

"""``c66tui sandbox`` as a child process, and a small client for its control endpoints.

The end-to-end tests talk to the sandbox only over loopback HTTP, exactly as a user's
``c66tui`` would: the API under ``/api/3`` (legacy surface under ``/api/2``), the OAuth
pages, and the ``/_sandbox/`` control endpoints that move its clock, mint tokens and inject faults.
"""

from __future__ import annotations

import html
import re
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tests.e2e.harness import c66tui_command

SANDBOX_CLIENT_ID = "c66tui-sandbox"
SANDBOX_CLIENT_SECRET = "sandbox-secret"
OOB = "urn:ietf:wg:oauth:2.0:oob"


def free_port() -> int:
    """A loopback TCP port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SandboxProcess:
    """A running ``c66tui sandbox`` on a free loopback port."""

    def __init__(self, logdir: Path, *args: str) -> None:
        self.log_path = Path(logdir) / "sandbox.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.args = args
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/3"

    def start(self, timeout: float = 30.0) -> None:
        """Start the sandbox and wait until its control endpoints answer."""
        for _attempt in range(3):
            self.port = free_port()
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen(
                    [*c66tui_command(), "sandbox", "--port", str(self.port), *self.args],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                )
            if self._wait_healthy(timeout):
                self.control = SandboxControl(self.base_url)
                return
        raise RuntimeError(f"c66tui sandbox did not start:\n{self.log()}")

    def _wait_healthy(self, timeout: float) -> bool:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False  # e.g. the port was taken in the meantime: try another
            try:
                if httpx.get(f"{self.base_url}/_sandbox/requests", timeout=1).status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        return False

    def log(self) -> str:
        """What the sandbox printed so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """Terminate the sandbox process."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class SandboxControl:
    """The ``/_sandbox/`` control endpoints and the OAuth approval page."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url, timeout=10)

    def reset(self) -> None:
        """Back to the seed data, no faults, empty request log."""
        self.http.post("/_sandbox/reset").raise_for_status()
        self.http.delete("/_sandbox/faults").raise_for_status()
        self.http.delete("/_sandbox/requests").raise_for_status()

    def mint_token(self, scopes: list[str], email: str = "ops@example.com") -> str:
        answer = self.http.post("/_sandbox/tokens", json={"scopes": scopes, "email": email})
        answer.raise_for_status()
        return answer.json()["access_token"]

    def advance(self, seconds: float) -> None:
        self.http.post("/_sandbox/advance", json={"seconds": seconds}).raise_for_status()

    def finish(self) -> None:
        self.http.post("/_sandbox/finish").raise_for_status()

    def fault(self, **spec: object) -> None:
        self.http.post("/_sandbox/faults", json=spec).raise_for_status()

    def fail_next(self, kind: str, stack_uid: str, message: str = "") -> None:
        body = {"kind": kind, "stack_uid": stack_uid, "message": message}
        self.http.post("/_sandbox/fail-next", json=body).raise_for_status()

    def requests(self) -> list[dict]:
        answer = self.http.get("/_sandbox/requests")
        answer.raise_for_status()
        body = answer.json()
        return body if isinstance(body, list) else body.get("requests", [])

    def writes(self, path_pattern: str, method: str = "POST") -> list[dict]:
        """Logged requests with ``method`` whose path matches the regex."""
        rx = re.compile(path_pattern)
        return [
            r
            for r in self.requests()
            if r.get("method") == method and rx.search(str(r.get("path", "")))
        ]

    def stacks(self, token: str) -> list[dict]:
        """Every stack (all pages), as the API returns them."""
        out: list[dict] = []
        page = 1
        while page:
            answer = self.http.get(
                "/api/3/stacks.json",
                params={"page": page},
                headers={"Authorization": f"Bearer {token}"},
            )
            answer.raise_for_status()
            body = answer.json()
            out.extend(body["response"])
            page = (body.get("pagination") or {}).get("next")
        return out

    def approve(self, authorize_url: str) -> str:
        """Approve an authorize URL the way a user's browser would; return the code.

        Loads the approval page, submits its form (hidden fields plus the Approve button)
        and reads the code from the out-of-band page the sandbox answers with.
        """
        url = urlsplit(authorize_url)
        page = self.http.get(f"{url.path}?{url.query}")
        page.raise_for_status()
        form = re.search(r"<form([^>]*)>(.*?)</form>", page.text, re.S | re.I)
        assert form, f"no approval form on the authorize page:\n{page.text}"
        action = _attr(form.group(1), "action") or url.path
        fields: dict[str, str] = {}
        for tag in re.finditer(r"<input[^>]*>", form.group(2), re.I):
            name = _attr(tag.group(0), "name")
            if name:
                fields[name] = html.unescape(_attr(tag.group(0), "value") or "")
        for tag in re.finditer(r"<button[^>]*>", form.group(2), re.I):
            if _attr(tag.group(0), "id") == "approve":
                fields[_attr(tag.group(0), "name") or "decision"] = _attr(tag.group(0), "value")
        answer = self.http.post(action, data=fields)
        answer.raise_for_status()
        code = re.search(r"id=[\"']auth-code[\"']>([^<]+)<", answer.text)
        assert code, f"no code on the approval answer:\n{answer.text}"
        return html.unescape(code.group(1)).strip()


def _attr(tag: str, name: str) -> str:
    """The value of attribute ``name`` in an HTML tag ('' when absent)."""
    match = re.search(rf"\b{name}=([\"'])(.*?)\1", tag, re.S)
    return match.group(2) if match else ""

"""Start-up: from process spawn to the first frame that shows a stack, in a pseudo-terminal.

Three programs are timed, alternately, ``--runs`` times each (median reported):

* the baseline: ``baseline_app.py`` (Header + DataTable + Footer) fed the sandbox's stacks;
* ``c66tui --demo --fresh``: a first demo, nothing cached (the in-process sandbox is
  started and asked for the list before a stack can be shown);
* ``c66tui --demo`` started again: the demo keeps its folder, so it shows its cached list;
* ``c66tui --api-url <loopback sandbox>`` with a token and a warm stacks cache.

"First frame that shows a stack" is the moment the bytes of any seed stack name appear in
the terminal output. The module also holds the pseudo-terminal and sandbox plumbing the
other c66tui benchmarks share (``PtyProcess``, ``SandboxProcess``, ``app_env``).

Prints JSON lines, one per figure: ``{"figure", "value", "unit", "baseline", "ratio",
"target"}``. ``--importtime`` instead prints the slowest imports of ``c66tui --demo``.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import re
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline_app.py"
SIZE = (120, 40)
DEMO_TOKEN = "sandbox-demo-token"
CLK_TCK = os.sysconf("SC_CLK_TCK")


# -- the program under test --------------------------------------------------------------


def c66tui_argv() -> list[str]:
    """The installed ``c66tui`` of this interpreter's environment (or ``python -m c66tui``)."""
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which("c66tui", path=search)
    return [found] if found else [sys.executable, "-m", "c66tui"]


def app_env(root: Path, **extra: str) -> dict[str, str]:
    """A clean environment with private config/cache/state directories under ``root``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("C66TUI_", "TEXTUAL", "CLOUD66_"))
        and k not in {"NO_COLOR", "PYTHONDONTWRITEBYTECODE", "PYTHONIMPORTTIME"}
    }
    env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    for name in ("config", "cache", "state"):
        path = root / name
        path.mkdir(parents=True, exist_ok=True)
        env[f"C66TUI_{name.upper()}_DIR"] = str(path)
    env.update(extra)
    return env


# -- a program in a pseudo-terminal ------------------------------------------------------


def _make_controlling_tty() -> None:  # runs in the child between fork and exec
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyProcess:
    """Run ``argv`` with a pseudo-terminal of ``size`` as its controlling terminal.

    The output is read continuously (so the program never blocks on a full pty) and kept
    in ``self.output``; ``spawned_at`` is the ``perf_counter`` just before the fork.
    """

    def __init__(
        self,
        argv: list[str],
        env: dict[str, str],
        size: tuple[int, int] = SIZE,
        stderr_path: Path | None = None,
    ) -> None:
        master, slave = os.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        stderr = open(stderr_path, "wb") if stderr_path else slave  # noqa: SIM115
        self.spawned_at = time.perf_counter()
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=stderr,
            env=env,
            preexec_fn=_make_controlling_tty,
            close_fds=True,
        )
        os.close(slave)
        if stderr_path:
            stderr.close()
        self.master = master
        self.output = bytearray()
        self.pid = self.proc.pid

    def read(self, timeout: float) -> int:
        """Read whatever arrives within ``timeout`` seconds; return the byte count."""
        got = 0
        deadline = time.perf_counter() + timeout
        while (left := deadline - time.perf_counter()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                break
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the program exited and the pty closed
                break
            if not chunk:
                break
            self.output += chunk
            got += len(chunk)
        return got

    def wait_for(self, predicate: Callable[[bytes], bool], timeout: float) -> float:
        """Seconds from spawn until ``predicate(output)`` first holds (raises on timeout)."""
        deadline = time.perf_counter() + timeout
        while not predicate(bytes(self.output)):
            if time.perf_counter() > deadline or self.proc.poll() is not None:
                tail = bytes(self.output[-600:]).decode("utf-8", "replace")
                raise TimeoutError(f"{self.proc.args!r} showed no stack in {timeout}s: {tail!r}")
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    continue
        return time.perf_counter() - self.spawned_at

    def settle(self, quiet: float = 1.0, limit: float = 30.0) -> None:
        """Read until the program has written nothing for ``quiet`` seconds."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline and self.read(quiet) > 0:
            pass

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process so far (from /proc)."""
        stat = Path(f"/proc/{self.pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def peak_rss_kib(self) -> int:
        """Peak resident set size (VmHWM) in KiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        raise RuntimeError("no VmHWM in /proc status")

    def close(self) -> None:
        """End the program (SIGTERM, then SIGKILL) and close the pty."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        with contextlib.suppress(OSError):
            os.close(self.master)


# -- the sandbox -------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port that was free a moment ago on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SandboxProcess:
    """``c66tui sandbox`` on a loopback port, as a child process."""

    def __init__(self, *args: str, logdir: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.api_url = f"{self.base_url}/api/2"
        log = open(logdir / f"sandbox-{self.port}.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [*c66tui_argv(), "sandbox", "--port", str(self.port), *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        deadline = time.monotonic() + 30
        while True:
            try:
                self.get("/_sandbox/requests")
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the sandbox did not start") from None
                time.sleep(0.1)

    def get(self, path: str, token: str | None = None) -> object:
        """GET a path of the sandbox and decode the JSON answer."""
        request = urllib.request.Request(self.base_url + path)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())

    def post(self, path: str, body: dict | None = None) -> object:
        """POST JSON to a control endpoint."""
        data = json.dumps(body or {}).encode()
        request = urllib.request.Request(
            self.base_url + path, data=data, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read() or b"{}")

    def requests(self) -> list[dict]:
        """The sandbox's log of API requests (control calls are not logged)."""
        body = self.get("/_sandbox/requests")
        return body["requests"] if isinstance(body, dict) else list(body)

    def clear_requests(self) -> None:
        """Empty the sandbox's request log."""
        request = urllib.request.Request(self.base_url + "/_sandbox/requests", method="DELETE")
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()

    def request_count(self) -> int:
        """How many API requests the sandbox has logged so far."""
        body = self.get("/_sandbox/requests?since=999999999")
        return int(body["next"]) if isinstance(body, dict) else len(self.requests())

    def stacks(self) -> list[dict]:
        """Every stack, as the API returns them (all pages)."""
        out: list[dict] = []
        page = 1
        while True:
            body = self.get(f"/api/2/stacks.json?page={page}", token=DEMO_TOKEN)
            out.extend(body["response"])
            nxt = (body.get("pagination") or {}).get("next")
            if not nxt:
                return out
            page = nxt

    def close(self) -> None:
        """Stop the sandbox."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@contextlib.contextmanager
def sandbox(*args: str, logdir: Path) -> Iterator[SandboxProcess]:
    """A running sandbox for the duration of the block."""
    box = SandboxProcess(*args, logdir=logdir)
    try:
        yield box
    finally:
        box.close()


def name_matcher(stacks: list[dict]) -> Callable[[bytes], bool]:
    """A predicate that holds once any plain stack name is in the output."""
    names = sorted(
        {s["name"] for s in stacks if re.fullmatch(r"[A-Za-z0-9 _.-]{3,24}", s["name"])},
        key=len,
        reverse=True,
    )
    if not names:
        raise RuntimeError("no plain stack name to look for")
    pattern = re.compile("|".join(re.escape(n) for n in names).encode())
    return lambda output: pattern.search(output) is not None


# -- the figures -------------------------------------------------------------------------


def time_to_stacks(argv: list[str], env: dict[str, str], seen: Callable[[bytes], bool]) -> float:
    """One start: seconds from spawn to the first frame with a stack name."""
    proc = PtyProcess(argv, env)
    try:
        return proc.wait_for(seen, timeout=60)
    finally:
        proc.close()


def warm_cache(argv: list[str], env: dict[str, str], seen: Callable[[bytes], bool]) -> None:
    """Run c66tui once against the sandbox so its stacks cache is written."""
    proc = PtyProcess(argv, env)
    try:
        proc.wait_for(seen, timeout=60)
        proc.settle(quiet=1.5, limit=20)
    finally:
        proc.close()


def figure(name: str, value: float, unit: str, baseline: float | None, target: str) -> dict:
    """One row of the results table."""
    ratio = value / baseline if baseline else None
    return {
        "figure": name,
        "value": round(value, 4),
        "unit": unit,
        "baseline": round(baseline, 4) if baseline is not None else None,
        "ratio": round(ratio, 2) if ratio is not None else None,
        "target": target,
    }


def measure(runs: int, work: Path) -> list[dict]:
    """Time the baseline, both demo starts and the warm-cache sandbox start, alternately."""
    with sandbox(logdir=work) as box:
        stacks = box.stacks()
        data = work / "stacks.json"
        data.write_text(json.dumps(stacks))
        seen = name_matcher(stacks)
        base_argv = [sys.executable, str(BASELINE), str(data)]
        live_argv = [*c66tui_argv(), "--api-url", box.api_url]
        live_env = app_env(work / "live", CLOUD66_TOKEN=DEMO_TOKEN)
        warm_cache(live_argv, live_env, seen)
        fresh_argv = [*c66tui_argv(), "--demo", "--fresh"]
        fresh_env = app_env(work / "demo-fresh")
        again_argv = [*c66tui_argv(), "--demo"]
        again_env = app_env(work / "demo-again")
        warm_cache(again_argv, again_env, seen)
        programs = {
            "base": (base_argv, app_env(work / "base")),
            "fresh": (fresh_argv, fresh_env),
            "again": (again_argv, again_env),
            "live": (live_argv, live_env),
        }
        times: dict[str, list[float]] = {name: [] for name in programs}
        time_to_stacks(base_argv, app_env(work / "base"), seen)  # warm the OS file cache
        for _ in range(runs):
            for name, (argv, env) in programs.items():
                times[name].append(time_to_stacks(argv, env, seen))
    base = statistics.median(times["base"])
    rows = [figure("start-up: bare Textual app", base, "s", None, "")]
    for name, label, target in (
        ("fresh", "start-up: c66tui --demo, first start (--fresh, nothing cached)", "<= 1.5x"),
        ("again", "start-up: c66tui --demo, started again (cached list)", "<= 1.3x"),
        ("live", "start-up: c66tui, sandbox, warm cache", "<= 1.3x"),
    ):
        rows.append(figure(label, statistics.median(times[name]), "s", base, target))
    return rows


def importtime(work: Path, top: int) -> list[tuple[float, str]]:
    """The ``top`` slowest imports (cumulative ms) of ``c66tui --demo`` up to its first frame.

    Textual draws on standard error, so with ``-X importtime`` both the import timings
    and the frames go to one log file; the run ends once a stack name is in it.
    """
    log = work / "importtime.log"
    env = app_env(work / "imports")
    argv = [sys.executable, "-X", "importtime", "-m", "c66tui", "--demo"]
    proc = PtyProcess(argv, env, stderr_path=log)
    try:
        deadline = time.perf_counter() + 60
        while b"admin-portal-dev" not in log.read_bytes():
            if time.perf_counter() > deadline or proc.proc.poll() is not None:
                raise TimeoutError("c66tui --demo showed no stack")
            proc.read(0.05)
    finally:
        proc.close()
    rows: list[tuple[float, str]] = []
    for line in log.read_text(errors="replace").splitlines():
        match = re.search(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and len(match.group(2)) <= 3:  # top-level imports only
            rows.append((int(match.group(1)) / 1000, match.group(3)))
    return sorted(rows, reverse=True)[:top]


def main(argv: list[str] | None = None) -> int:
    """Run the start-up benchmark and print one JSON line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="starts per program (median)")
    parser.add_argument("--quick", action="store_true", help="3 starts per program")
    parser.add_argument("--importtime", action="store_true", help="list the slowest imports")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="c66bench-") as tmp:
        work = Path(tmp)
        if args.importtime:
            for ms, module in importtime(work, args.top):
                print(f"{ms:8.1f} ms  {module}")
            return 0
        for row in measure(3 if args.quick else args.runs, work):
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Injected faults: make matching requests answer late, wrongly or not at all.

A fault matches a request when its ``path`` regular expression is found in the request
path (``re.search``) and, if given, the method is the same. Each match uses up one of its
``times`` (``None`` = until cleared). Control endpoints (``/_sandbox/...``) never match.

When a fault applies (``when``):

* ``"after"`` (the default unless the fault is a pure ``status``): the request is
  carried out first, exactly as without the fault (a redeploy is started, an env var is
  queued for change), and only the answer is delayed, mangled or lost. This is what a
  client sees when a reply is slow or the connection breaks after sending: the outcome is
  unknown to it but the write happened.
* ``"before"`` (default for a pure ``status`` fault): the request is refused with that
  status and nothing is carried out, like a gateway answering for a down backend.

Kinds, which may be combined: ``status`` (replace the status; the body becomes a JSON error
for it unless ``body`` says otherwise; ``error`` picks that body's ``error`` word, e.g.
``invalid_scope`` or ``server_error`` at the token endpoint), ``delay`` (seconds of real
time before answering), ``drop`` (close the connection without any answer: under uvicorn
the socket is closed so the client sees "server disconnected without sending a response",
an ``httpx.RemoteProtocolError``; under an in-process ASGI transport the same httpx
exception is raised), ``body`` (``truncated``: the JSON cut in half with a matching Content-Length;
``not_json``: a plain-text proxy error; ``html_login``: an HTML sign-in page with status
200; ``echo_token``: a JSON error, 422 unless ``status`` says otherwise, whose
``error_description`` and ``details`` quote the request's own bearer token, as a careless
server might; ``no_envelope``: a 200 JSON object without the ``response`` key;
``null_items``: the list answer with every item replaced by ``null``; ``huge_pages``:
the list answer claiming a million pages), ``headers`` (set on the answer, replacing
headers of the same name).
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from c66tui.sandbox.envelope import ERROR_WORDS

BODY_KINDS = (
    "truncated",
    "not_json",
    "html_login",
    "echo_token",
    "no_envelope",
    "null_items",
    "huge_pages",
)

LOGIN_PAGE = (
    b"<!DOCTYPE html><html><head><title>Sign in | Cloud 66</title></head><body>"
    b"<h1>Sign in</h1><form method='post' action='/users/sign_in'>"
    b"<input name='user[email]'><input type='password' name='user[password]'>"
    b"<button>Sign in</button></form></body></html>"
)
NOT_JSON = b"upstream connect error or disconnect/reset before headers. reset reason: overflow"


@dataclass
class Fault:
    """One injected fault (see the module docstring for the semantics)."""

    path: str = ".*"
    method: str | None = None
    status: int | None = None
    error: str | None = None
    delay: float = 0.0
    drop: bool = False
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1
    when: str = "after"
    hits: int = 0
    id: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        return re.search(self.path, path) is not None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class FaultSet:
    """Thread-safe list of active faults."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._ids = 0

    def add(
        self,
        path: str = ".*",
        *,
        method: str | None = None,
        status: int | None = None,
        error: str | None = None,
        delay: float | None = 0.0,
        drop: bool = False,
        body: str | None = None,
        headers: dict[str, str] | None = None,
        times: int | None = 1,
        when: str | None = None,
    ) -> Fault:
        """Validate and register a fault (ValueError with a plain message when invalid)."""
        if not isinstance(path, str):
            raise ValueError("path must be a regular expression string")
        try:
            re.compile(path)
        except re.error as err:
            raise ValueError(f"path is not a valid regular expression: {err}") from None
        if method is not None and (not isinstance(method, str) or not method.isalpha()):
            raise ValueError("method must be an HTTP method name or null")
        if status is not None and (
            isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599
        ):
            raise ValueError("status must be an integer between 100 and 599")
        if error is not None and (
            not isinstance(error, str) or re.fullmatch(r"[a-z_]{1,64}", error) is None
        ):
            raise ValueError("error must be a word of lower-case letters and underscores")
        if error is not None and status is None:
            raise ValueError("error needs a status")
        if isinstance(delay, bool) or not isinstance(delay, int | float) or not 0 <= delay <= 600:
            if delay is not None:
                raise ValueError("delay must be a number of seconds between 0 and 600")
            delay = 0.0
        if body is not None and body not in BODY_KINDS:
            raise ValueError(f"body must be one of {', '.join(BODY_KINDS)}")
        if times is not None and (isinstance(times, bool) or not isinstance(times, int)):
            raise ValueError("times must be a positive integer or null")
        if times is not None and times < 1:
            times = None
        headers = headers or {}
        if not isinstance(headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str | int | float) for k, v in headers.items()
        ):
            raise ValueError("headers must be an object of strings")
        if when is None:
            when = "before" if status is not None and not (delay or drop or body) else "after"
        if when not in ("before", "after"):
            raise ValueError("when must be 'before' or 'after'")
        if status is None and not (delay or drop or body or headers):
            raise ValueError("a fault needs at least one of status, delay, drop, body, headers")
        with self._lock:
            self._ids += 1
            fault = Fault(
                path=path,
                method=method.upper() if method else None,
                status=status,
                error=error,
                delay=float(delay),
                drop=bool(drop),
                body=body,
                headers={str(k): str(v) for k, v in headers.items()},
                times=times,
                when=when,
                id=self._ids,
            )
            self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The first fault matching this request, using up one of its ``times``."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.hits += 1
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def list(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)


class _Captured:
    """An ASGI ``send`` that keeps the response instead of sending it."""

    def __init__(self) -> None:
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = bytearray()

    async def __call__(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.body.extend(message.get("body", b""))


def _error_body(status: int, error: str | None = None) -> bytes:
    word = error or ERROR_WORDS.get(status, "error")
    return json.dumps({"error": word, "error_description": "Injected fault"}).encode()


def _request_token(scope: dict[str, Any]) -> str:
    """The bearer token the request was sent with (``""`` when none)."""
    for key, value in scope.get("headers", []):
        if key.lower() == b"authorization":
            text = value.decode("latin-1")
            return text.split(None, 1)[1] if " " in text else text
    return ""


def _echo_token_body(scope: dict[str, Any], status: int, error: str | None) -> bytes:
    """An error body that quotes the request's own token back (a hostile answer)."""
    token = _request_token(scope)
    return json.dumps(
        {
            "error": error or ERROR_WORDS.get(status, "unprocessable_entity"),
            "error_description": f"Stack busy for {token}",
            "details": f"Authorization=Bearer {token}; token={token}",
        }
    ).encode()


def _json_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    kept = [(k, v) for k, v in headers if k.lower() != b"content-type"]
    return [*kept, (b"content-type", b"application/json")]


def _reshaped(body: bytes, kind: str) -> bytes:
    """The answer's JSON rewritten into a shape the API does not document."""
    try:
        data = json.loads(body)
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {"response": data}
    if kind == "no_envelope":
        data.pop("response", None)
        data.setdefault("status", "ok")
    elif kind == "null_items" and isinstance(data.get("response"), list):
        data["response"] = [None for _ in data["response"]]
    elif kind == "huge_pages":
        pagination = data.get("pagination")
        if isinstance(pagination, dict):
            pagination["pages"] = 1_000_000
            pagination["next"] = pagination.get("next") or 2
    return json.dumps(data).encode()


async def drop_connection(send) -> None:
    """Close the client connection without an answer.

    Under uvicorn the ASGI ``send`` is bound to the request cycle that owns the socket
    transport; closing it makes the client read EOF before any response bytes. Elsewhere
    (an in-process ``httpx.ASGITransport``) the same exception httpx raises for that
    situation is raised so the client sees an identical error.
    """
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is not None and hasattr(transport, "close"):
        transport.close()
        for _ in range(20):
            if getattr(cycle, "disconnected", True):
                break
            await asyncio.sleep(0)
        return
    raise httpx.RemoteProtocolError("Server disconnected without sending a response.")


async def apply_fault(fault: Fault, app, scope, receive, send, raw_send) -> int | None:
    """Serve one request under ``fault``; returns the status sent (None when dropped)."""
    captured = _Captured()
    if fault.when == "after":
        await app(scope, receive, captured)
    if fault.delay:
        await asyncio.sleep(fault.delay)
    if fault.drop:
        await drop_connection(raw_send)
        return None
    status = captured.status
    headers = [(k, v) for k, v in captured.headers if k.lower() != b"content-length"]
    body = bytes(captured.body)
    if fault.when == "before" or fault.status is not None:
        status = fault.status or 503
        if fault.body is None:
            body = _error_body(status, fault.error)
            headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
            headers.append((b"content-type", b"application/json"))
    if fault.body == "truncated":
        body = body[: max(1, len(body) // 2)]
    elif fault.body == "echo_token":
        status = fault.status or 422
        body = _echo_token_body(scope, status, fault.error)
        headers = _json_headers(headers)
    elif fault.body in ("no_envelope", "null_items", "huge_pages"):
        body = _reshaped(body, fault.body)
        headers = _json_headers(headers)
    elif fault.body in ("not_json", "html_login"):
        page = fault.body == "html_login"
        body = LOGIN_PAGE if page else NOT_JSON
        kind = b"text/html; charset=utf-8" if page else b"text/plain"
        headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
        headers.append((b"content-type", kind))
        if page and fault.status is None:
            status = 200
    replaced = {key.lower().encode("latin-1") for key in fault.headers}
    headers = [(k, v) for k, v in headers if k.lower() not in replaced]
    for key, value in fault.headers.items():
        headers.append((key.lower().encode("latin-1"), value.encode("latin-1")))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
    return status

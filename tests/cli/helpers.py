"""Helpers for the command tests: results, the sandbox's request log and control calls."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)


def api_calls(server, method: str | None = None, contains: str = "") -> list[dict]:
    """The API requests the sandbox logged (optionally one method and path part)."""
    return [
        entry
        for entry in list(server.sandbox.request_log)
        if "/api/" in entry["path"]
        and (method is None or entry["method"] == method)
        and contains in entry["path"]
    ]


def control(server, path: str, body: dict | None = None, method: str = "POST") -> dict:
    """Call a ``/_sandbox/`` control endpoint."""
    data = json.dumps(body or {}).encode() if method != "GET" else None
    request = urllib.request.Request(
        f"{server.base_url}/_sandbox/{path}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def stack_uid(server, name: str) -> str:
    return server.sandbox.find_stack(name).uid

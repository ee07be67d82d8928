"""Response shapes shared by every sandbox endpoint.

* :class:`ApiError` is raised by handlers and rendered as ``{"error", "error_description"
  [, "details"]}`` with its status code.
* :func:`single`, :func:`ack`, :func:`scalar` and :func:`paged` build the ``response``
  envelope (lists get ``count`` and ``pagination``, 30 items a page).
* :func:`iso_z`, :func:`iso_offset` and :func:`utc_words` render the three timestamp forms
  the real API mixes (reference section 2.4).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from starlette.responses import Response

T = TypeVar("T")

PER_PAGE = 30

ERROR_WORDS = {
    400: "bad_request",
    401: "unauthenticated",
    402: "trial_expired",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "time_out",
    409: "conflict",
    413: "bad_request",
    429: "throttled",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "time_out",
}
"""Default ``error`` word for a status code (the API's table plus a few gateway codes)."""


class ApiError(Exception):
    """An error answer: status, ``error`` word, ``error_description`` and optional details."""

    def __init__(
        self,
        status: int,
        description: str,
        *,
        error: str | None = None,
        details: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.error = error or ERROR_WORDS.get(status, "error")
        self.description = description
        self.details = details
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {"error": self.error, "error_description": self.description}
        if self.details:
            data["details"] = self.details
        return data


def not_found(what: str, ident: Any) -> ApiError:
    """404 for an unknown id of kind ``what`` ("Stack", "Job", ...)."""
    return ApiError(404, f"{what} not found", details=f"No {what.lower()} {ident!s} is accessible")


def find_or_404(items: Iterable[T], what: str, ident: str, key: Callable[[T], str]) -> T:
    """The first of ``items`` whose ``key`` is ``ident``; 404 (:func:`not_found`) when
    none is."""
    for item in items:
        if key(item) == ident:
            return item
    raise not_found(what, ident)


def by_id(item: Any) -> str:
    """A record's numeric ``id`` as the text a path carries."""
    return str(item.id)


def bad_request(description: str, details: str | None = None) -> ApiError:
    return ApiError(400, description, details=details)


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response (UTF-8, control characters escaped by the encoder)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(body, status_code=status, headers=headers, media_type="application/json")


def error_response(err: ApiError) -> Response:
    return json_response(err.body(), err.status, err.headers)


def single(obj: Any) -> dict[str, Any]:
    """``{"response": obj}``."""
    return {"response": obj}


def ack(message: str, **extra: Any) -> dict[str, Any]:
    """``{"response": {"ok": true, "message": ...}}`` for acknowledgement-style writes."""
    return {"response": {"ok": True, "message": message, **extra}}


def scalar(value: Any) -> dict[str, Any]:
    """Legacy scalar envelope, e.g. ``{"response": "Healthy"}``."""
    return {"response": value}


def parse_page(raw: Any) -> int:
    """The 1-based ``page`` parameter; 400 for anything that is not a positive integer."""
    if raw is None or raw == "":
        return 1
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise bad_request("Invalid page parameter", f"page must be a positive integer, got {raw!r}")
    page = int(text)
    if page < 1:
        raise bad_request("Invalid page parameter", "page must be 1 or more")
    return page


def paged(items: list, page: int, render=None) -> dict[str, Any]:
    """One page of ``items`` in the list envelope; only that page is rendered.

    Out-of-range pages give an empty list; ``previous``/``next`` are null at the ends.
    """
    total = len(items)
    pages = max(1, -(-total // PER_PAGE))
    start = (page - 1) * PER_PAGE
    chunk = items[start : start + PER_PAGE]
    if render is not None:
        chunk = [render(item) for item in chunk]
    previous = min(page - 1, pages) if page > 1 else None
    nxt = page + 1 if page < pages else None
    return {
        "response": chunk,
        "count": len(chunk),
        "pagination": {
            "previous": previous,
            "next": nxt,
            "current": page,
            "per_page": PER_PAGE,
            "count": total,
            "pages": pages,
        },
    }


def iso_z(moment: float | None) -> str | None:
    """``2014-08-29T17:21:47Z`` (most ``*_at`` and every ``*_iso`` field)."""
    if moment is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))


def iso_offset(moment: float | None) -> str | None:
    """``2014-08-14T01:46:53+00:00`` (stack ``last_activity``)."""
    if moment is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(moment))


def utc_words(moment: float | None) -> str | None:
    """``2014-08-14 00:38:14 UTC`` (stack and job ``created_at``/``updated_at``)."""
    if moment is None:
        return None
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(moment))

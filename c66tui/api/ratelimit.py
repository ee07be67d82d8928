"""Reading the rate-limit headers and ``Retry-After``.

Cloud 66 sends ``X-RateLimit-Limit`` and ``X-RateLimit-Remaining`` on every API answer
(the newer ``RateLimit-Limit`` / ``RateLimit-Remaining`` names are read as well).
``Retry-After`` may be a number of seconds or an HTTP date; a date is measured against
the response's own ``Date`` header when there is one, so a skewed local clock does not
matter.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from .models import RateLimit

_LIMIT_HEADERS = ("x-ratelimit-limit", "ratelimit-limit")
_REMAINING_HEADERS = ("x-ratelimit-remaining", "ratelimit-remaining")
_MAX_RETRY_AFTER = 7 * 24 * 3600.0


def _first_int(headers: Mapping[str, str], names: tuple[str, ...]) -> int | None:
    for name in names:
        value = headers.get(name)
        if value is None:
            continue
        try:
            number = int(str(value).strip().split(",")[0].split(";")[0])
        except ValueError:
            continue
        if number >= 0:
            return number
    return None


def rate_limit_from_headers(
    headers: Mapping[str, str], *, now: datetime | None = None
) -> RateLimit | None:
    """The :class:`RateLimit` the headers describe, or ``None`` when they say nothing."""
    limit = _first_int(headers, _LIMIT_HEADERS)
    remaining = _first_int(headers, _REMAINING_HEADERS)
    if limit is None and remaining is None:
        return None
    return RateLimit(limit=limit, remaining=remaining, observed_at=now or datetime.now(UTC))


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def parse_retry_after(
    value: str | None, *, date_header: str | None = None, now: datetime | None = None
) -> float | None:
    """Seconds to wait according to a ``Retry-After`` value, or ``None`` if absent/invalid.

    Accepts delta-seconds (``"120"``, also ``"1.5"``) and HTTP dates
    (``"Wed, 21 Oct 2015 07:28:00 GMT"``). Dates in the past give ``0``. The result is
    capped at one week so a garbage header cannot produce an absurd wait.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        when = _http_date(text)
        if when is None:
            return None
        reference = _http_date(date_header) or now or datetime.now(UTC)
        seconds = (when - reference).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return min(max(0.0, seconds), _MAX_RETRY_AFTER)

"""Fetching every page of a Cloud 66 list.

Page 1 comes first; its ``pagination`` object says how many pages there are, but the
figures are not trusted: the pages asked for are bounded by what ``count`` and
``per_page`` imply (:func:`page_bound`), by :data:`MAX_PAGES`, and by the first empty
page. The rest are fetched concurrently (never more than ``max_concurrency`` at once)
and joined in page order. If any page fails, the others are cancelled and the error is
raised. An answer that is not the documented envelope is an error
(:func:`page_items`), never an empty list.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from .errors import UnexpectedResponseError

MAX_PAGES = 5000
"""Upper bound on pages fetched for one list (150,000 items at 30 a page)."""

logger = logging.getLogger(__name__)

FetchPage = Callable[[int], Awaitable[Any]]
Notice = Callable[[str], None]


def page_items(body: Any) -> list[Any]:
    """The item list of a list answer: the ``response`` array of the documented envelope
    ``{"response": [...], "count": ..., "pagination": {...}}``.

    Anything else (no ``response`` key, a bare array, ``response`` not an array, an array
    with items but no object among them) raises :class:`UnexpectedResponseError` with a
    plain message, so a broken answer is never taken for an empty list (and never
    replaces what the cache holds).
    """
    if not isinstance(body, dict) or "response" not in body:
        raise UnexpectedResponseError(
            "Cloud 66 answered without the list it was asked for (no 'response' in the "
            "answer); nothing was changed."
        )
    items = body["response"]
    if not isinstance(items, list):
        raise UnexpectedResponseError(
            "Cloud 66 sent a list answer in an unexpected shape (no item list); nothing "
            "was changed."
        )
    if items and not any(isinstance(item, dict) for item in items):
        raise UnexpectedResponseError(
            f"Cloud 66 sent a list of {len(items)} entries, none of them readable; "
            "nothing was changed."
        )
    return items


def _as_page(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 1 else None


def _as_count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= 0 else None


def page_info(body: Any) -> tuple[int | None, int | None]:
    """``(pages, next)`` from a list answer's ``pagination`` object (``None`` if absent)."""
    if not isinstance(body, dict):
        return None, None
    pagination = body.get("pagination")
    if not isinstance(pagination, dict):
        return None, None
    return _as_page(pagination.get("pages")), _as_page(pagination.get("next"))


def page_bound(body: Any, first_items: list[Any], max_pages: int = MAX_PAGES) -> tuple[int, str]:
    """How many pages at most the list can have, from its first page, and a notice
    (``""`` when the figures agree).

    The bound is what ``pagination.count`` / ``per_page`` imply (``per_page`` defaults to
    the first page's length); ``pages`` is believed only up to it, and never above
    ``max_pages``. Without a count the claimed ``pages`` (or ``max_pages``) stands.
    """
    pages, _ = page_info(body)
    pagination = body.get("pagination") if isinstance(body, dict) else None
    pagination = pagination if isinstance(pagination, dict) else {}
    count = _as_count(pagination.get("count"))
    per_page = _as_page(pagination.get("per_page")) or (len(first_items) or None)
    implied = None
    if count is not None and per_page is not None:
        implied = max(1, -(-count // per_page))
    notice = ""
    if implied is not None and pages is not None and pages != implied:
        notice = (
            f"Cloud 66's page figures disagree ({pages} pages claimed, {count} items at "
            f"{per_page} a page make {implied}): at most {min(implied, max_pages)} pages "
            "were read."
        )
    bound = implied if implied is not None else (pages or max_pages)
    if pages is not None:
        bound = min(bound, pages)
    if bound > max_pages:
        notice = notice or (
            f"Cloud 66 claims {bound} pages for one list: only the first {max_pages} were read."
        )
        bound = max_pages
    return bound, notice


async def fetch_all_pages(
    fetch_page: FetchPage,
    *,
    max_concurrency: int = 6,
    max_pages: int = MAX_PAGES,
    on_notice: Notice | None = None,
) -> list[Any]:
    """Every item of a paged list, in order: page 1, then the rest concurrently.

    The pages fetched are bounded by what page 1 implies (:func:`page_bound`) and by the
    first empty page: no page after it is asked for. When the server's figures disagree,
    ``on_notice`` (and the log) get a plain sentence saying so.
    """
    first = await fetch_page(1)
    items = list(page_items(first))
    pages, next_page = page_info(first)
    if next_page is None and (pages is None or pages <= 1):
        return items
    if not items:
        return items  # an empty first page: nothing follows it
    bound, notice = page_bound(first, items, max_pages)
    if notice:
        logger.warning("%s", notice)
        if on_notice is not None:
            on_notice(notice)
    if bound < 2:
        return items
    bodies = await _pages_until_empty(fetch_page, 2, bound, max(1, max_concurrency))
    for body in bodies:
        items.extend(page_items(body))
    return items


async def _pages_until_empty(
    fetch_page: FetchPage, start: int, last: int, workers: int
) -> list[Any]:
    """Pages ``start``..``last`` in order, fetched by ``workers`` at a time; no page after
    the first empty one is asked for (those already under way are dropped)."""
    bodies: dict[int, Any] = {}
    state = {"next": start, "empty_at": last + 1}

    async def worker() -> None:
        while True:
            number = state["next"]
            if number > last or number >= state["empty_at"]:
                return
            state["next"] = number + 1
            body = await fetch_page(number)
            if not page_items(body):
                state["empty_at"] = min(state["empty_at"], number)
            bodies[number] = body

    tasks = [asyncio.ensure_future(worker()) for _ in range(min(workers, last - start + 1))]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    return [bodies[n] for n in sorted(bodies) if n < state["empty_at"]]


async def iter_pages(
    fetch_page: FetchPage, *, max_pages: int = MAX_PAGES
) -> AsyncIterator[list[Any]]:
    """Walk a paged list one page at a time, following ``next`` (yields item lists)."""
    number: int | None = 1
    seen: set[int] = set()
    while number is not None and number not in seen and len(seen) < max_pages:
        body = await fetch_page(number)
        seen.add(number)
        yield page_items(body)
        number = page_info(body)[1]

"""Fetching every page of a Cloud 66 list.

Page 1 comes first; its ``pagination`` object says how many pages there are. The rest
are fetched concurrently under a semaphore (never more than ``max_concurrency`` at once)
and joined in page order. If the last page still points at a ``next`` page (the list grew
meanwhile, or the server gave ``next`` without ``pages``), those are walked one by one.
If any page fails, the others are cancelled and the error is raised.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from .errors import UnexpectedResponseError

MAX_PAGES = 5000
"""Upper bound on pages fetched for one list (150,000 items at 30 a page)."""

FetchPage = Callable[[int], Awaitable[Any]]


def page_items(body: Any) -> list[Any]:
    """The item list of a list answer (``response`` array)."""
    if isinstance(body, dict):
        items = body.get("response", [])
    else:
        items = body
    if items is None:
        return []
    if not isinstance(items, list):
        raise UnexpectedResponseError(
            "Cloud 66 sent a list answer in an unexpected shape (no item list)."
        )
    return items


def _as_page(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 1 else None


def page_info(body: Any) -> tuple[int | None, int | None]:
    """``(pages, next)`` from a list answer's ``pagination`` object (``None`` if absent)."""
    if not isinstance(body, dict):
        return None, None
    pagination = body.get("pagination")
    if not isinstance(pagination, dict):
        return None, None
    return _as_page(pagination.get("pages")), _as_page(pagination.get("next"))


async def _gather_in_order(coros: list[Awaitable[Any]]) -> list[Any]:
    """Run coroutines concurrently; results in input order; on failure cancel the rest."""
    tasks = [asyncio.ensure_future(c) for c in coros]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def fetch_all_pages(
    fetch_page: FetchPage, *, max_concurrency: int = 6, max_pages: int = MAX_PAGES
) -> list[Any]:
    """Every item of a paged list, in order: page 1, then the rest concurrently."""
    first = await fetch_page(1)
    items = list(page_items(first))
    pages, next_page = page_info(first)
    fetched = {1}
    if next_page is None:
        return items
    last_body = first
    if pages is not None and pages >= 2:
        pages = min(pages, max_pages)
        semaphore = asyncio.Semaphore(max(1, max_concurrency))

        async def one(number: int) -> Any:
            async with semaphore:
                return await fetch_page(number)

        numbers = list(range(2, pages + 1))
        bodies = await _gather_in_order([one(n) for n in numbers])
        for body in bodies:
            items.extend(page_items(body))
        fetched.update(numbers)
        last_body = bodies[-1]
        next_page = page_info(last_body)[1]
    while next_page is not None and next_page not in fetched and len(fetched) < max_pages:
        body = await fetch_page(next_page)
        fetched.add(next_page)
        items.extend(page_items(body))
        next_page = page_info(body)[1]
    return items


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

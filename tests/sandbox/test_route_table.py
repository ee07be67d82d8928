"""Each sandbox surface is one route table with one answer per request.

The v3 table (``API``), the legacy one (``LEGACY``) and the tokenless ping (``OPEN_V3``)
are separate surfaces. Within a table no two routes of the same method may match the
same path (``{name}`` matches any one segment), so the order in which modules register
routes never decides what is served.
"""

from __future__ import annotations

import itertools

import pytest

import c66tui.sandbox.app  # noqa: F401 - registers every route
from c66tui.sandbox.routing import API, LEGACY, OPEN_V3, Route


def _could_match_the_same_path(one: Route, other: Route) -> bool:
    left, right = one.template.split("/"), other.template.split("/")
    if len(left) != len(right):
        return False
    return all(
        a == b or a.startswith("{") or b.startswith("{") for a, b in zip(left, right, strict=True)
    )


@pytest.mark.parametrize("table", [API, LEGACY, OPEN_V3], ids=["api3", "api2", "open"])
def test_no_two_routes_answer_the_same_request(table):
    clashes = [
        (one.method, one.template, other.template)
        for one, other in itertools.combinations(table.routes, 2)
        if one.method == other.method and _could_match_the_same_path(one, other)
    ]
    assert not clashes


def test_the_overlap_check_sees_a_clash():
    """The check above finds a literal segment shadowed by a placeholder."""
    first = next(r for r in API.routes if r.template == "/stacks/{uid}")
    clash = Route("GET", "/stacks/busy", first.pattern, first.handler, "public")
    assert _could_match_the_same_path(first, clash)
    assert not _could_match_the_same_path(
        first, next(r for r in API.routes if r.template == "/stacks")
    )


def test_the_tables_hold_the_documented_surfaces():
    v3 = {(r.method, r.template) for r in API.routes}
    v2 = {(r.method, r.template) for r in LEGACY.routes}
    assert ("GET", "/stacks") in v3 and ("GET", "/stacks") in v2
    assert ("GET", "/stacks/{uid}/status") in v2 and ("GET", "/stacks/{uid}/status") not in v3
    assert ("GET", "/ping/auth") in v3 and {(r.method, r.template) for r in OPEN_V3.routes} == {
        ("GET", "/ping")
    }

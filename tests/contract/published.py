"""The published response samples in ``samples/`` and the shape comparison used on them.

:func:`sample` loads one by its name (``"v3/stacks_list"``); :func:`sources` reads the
SOURCES file; :func:`shape_problems` lists where a JSON value does not have a sample's
keys and value types.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> Any:
    """The decoded sample ``name`` (a path under ``samples/`` without ``.json``)."""
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def sources() -> dict[str, list[str]]:
    """SOURCES as ``{file: [repository, commit, path, section]}``."""
    out: dict[str, list[str]] = {}
    for line in (SAMPLES / "SOURCES").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, *rest = (part.strip() for part in line.split("|"))
            out[name] = rest
    return out


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return "null"


def shape_problems(expected: Any, actual: Any, where: str = "") -> list[str]:
    """Where ``actual`` lacks a key of ``expected`` or has another value type.

    A ``null`` in the sample says nothing about the type (the field may be set later), and
    ``actual`` may hold ``null`` where the sample has a value only when the sample's field
    is a timestamp or text that is empty while something runs (callers list those). Lists
    are compared item by item with the sample's first item.
    """
    problems: list[str] = []
    want, got = _kind(expected), _kind(actual)
    if want == "null" or got == "null":
        return problems
    if want != got:
        return [f"{where or 'top'}: {got} where the sample has {want}"]
    if want == "object":
        for key, value in expected.items():
            if key not in actual:
                problems.append(f"{where}.{key}: missing")
            else:
                problems += shape_problems(value, actual[key], f"{where}.{key}")
    elif want == "list" and expected:
        for index, item in enumerate(actual):
            problems += shape_problems(expected[0], item, f"{where}[{index}]")
    return problems


def extra_keys(expected: dict, actual: dict) -> set[str]:
    """Keys of ``actual`` that the sample does not have."""
    return set(actual) - set(expected)

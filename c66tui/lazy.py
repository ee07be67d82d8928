"""Package names imported from their submodule on first use.

A package's ``__init__`` that re-exports names from heavy submodules (the HTTP client,
Starlette) would load them all on ``import package``. With :func:`lazy_exports` it loads a
submodule only when one of its names is first asked for, so importing a light part of the
package (the models, the config paths) stays cheap: start-up on a slow jump host depends
on it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_exports(
    package: str, homes: dict[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``: each name in ``homes`` is
    imported from its submodule (relative to the package) on first use and then kept in
    the package's ``namespace`` (its ``globals()``). A name that is its own home is the
    submodule itself (``"paths": "paths"``)."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(f"{package}.{home}")
        value = module if home == name else getattr(module, name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *homes})

    return __getattr__, __dir__

"""A string wrapper that never shows its value by accident.

Shared by the API layer (tokens on the wire) and the config layer (tokens on disk).
"""

from __future__ import annotations


class Secret:
    """Holds a token, code or client secret.

    ``repr()`` and ``str()`` are masked, so a Secret that ends up in a log line, a
    traceback's locals or an f-string shows ``Secret('****')`` instead of the value.
    Call :meth:`reveal` only at the HTTP boundary and in the credentials writer.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError("Secret holds a string")
        self._value = value

    def reveal(self) -> str:
        """Return the wrapped value. Use only where the value must leave the process."""
        return self._value

    def masked(self) -> str:
        """A short form safe to show on screen: the last four characters at most."""
        if len(self._value) <= 8:
            return "****"
        return "****" + self._value[-4:]

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            return other._value == self._value
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __repr__(self) -> str:
        return "Secret('****')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __reduce__(self):  # pragma: no cover - pickling a secret is a bug
        raise TypeError("Secret values cannot be pickled")

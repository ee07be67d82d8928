"""The API layer's name for :class:`c66tui.secret.Secret` (tokens, codes, client secrets).

The class lives in :mod:`c66tui.secret` because the config layer stores secrets too and
does not import the API layer.
"""

from c66tui.secret import Secret

__all__ = ["Secret"]

"""Subcommands of ``c66tui``, one module per area; each offers ``register`` and ``run``."""

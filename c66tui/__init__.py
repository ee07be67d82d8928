"""c66tui: a keyboard-driven terminal application for operating Cloud 66 stacks."""

__version__ = "0.1.0"

"""Allow ``python -m c66tui``."""

from c66tui.cli import main

raise SystemExit(main())

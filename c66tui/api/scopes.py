"""The OAuth scopes of the Cloud 66 API v2 (no HTTP here: the app reads them at start-up)."""

ALL_SCOPES = ("public", "redeploy", "jobs", "admin", "users")
"""Every scope c66tui can use."""

DEFAULT_SCOPES = ("public", "redeploy", "jobs")
"""What a new login asks for unless the user picks more."""

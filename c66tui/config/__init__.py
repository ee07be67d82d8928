"""Configuration, credentials and paths: no Textual here."""

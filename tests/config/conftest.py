"""Fixtures for the configuration tests."""

from __future__ import annotations

import pytest

from c66tui.config import ConfigStore


@pytest.fixture
def store(isolated_dirs):
    """A store over the test's private config directory."""
    return ConfigStore()


@pytest.fixture
def config_dir(isolated_dirs):
    """The test's config directory (not created yet)."""
    return isolated_dirs["config"]


@pytest.fixture
def made_dir(config_dir):
    """The test's config directory, created 0700."""
    config_dir.mkdir(mode=0o700, parents=True)
    return config_dir

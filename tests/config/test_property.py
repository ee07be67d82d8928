"""Arbitrary bytes in either file never crash the loader and are never written over."""

from __future__ import annotations

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from c66tui.config import AppConfig, ConfigError, ConfigStore

_settings = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

KEYS = st.sampled_from(
    [
        "version",
        "default_profile",
        "preferences",
        "profiles",
        "default",
        "token",
        "client_secret",
        "theme",
        "refresh_seconds",
        "mouse",
        "keymap",
        "favourites",
        "api_url",
        "scopes",
        "read_only",
        "account_id",
        "x",
    ]
)
SCALARS = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.dates(),
    st.sampled_from(["default", "https://a.test/api/2", "ftp://x", "public", ""]),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(KEYS, children, max_size=4)
    ),
    max_leaves=12,
)
DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=5)


def _load_both(directory, data: bytes) -> None:
    for name in ("config.toml", "credentials.toml"):
        path = directory / name
        path.write_bytes(data)
        path.chmod(0o600)
    store = ConfigStore(directory)
    for attempt in (store.load, lambda: store.get_token("default")):
        try:
            result = attempt()
        except ConfigError as exc:
            assert str(exc)
        else:
            assert result is None or isinstance(result, AppConfig) or result.reveal()
    for name in ("config.toml", "credentials.toml"):
        assert (directory / name).read_bytes() == data


@_settings
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes(made_dir, data):
    _load_both(made_dir, data)


@_settings
@given(doc=DOCUMENTS)
def test_arbitrary_toml_documents(made_dir, doc):
    _load_both(made_dir, tomli_w.dumps(doc).encode())


@_settings
@given(data=st.binary(max_size=400), key=st.text(max_size=40))
def test_locating_a_key_never_fails(data, key):
    from c66tui.config.tomlio import locate_key

    line = locate_key(data, key)
    assert line is None or 1 <= line <= data.count(b"\n") + 1

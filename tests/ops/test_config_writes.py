"""Saving c66tui's own settings takes the session's services and a notify callback (no UI):
a failed save is said and returns ``None``; a theme shown as a preview is not saved."""

from __future__ import annotations

from types import SimpleNamespace

from c66tui.ops.config_writes import persist_theme, save_config, theme_preview, theme_previewing


class Store:
    def __init__(self, fail: Exception | None = None) -> None:
        self.fail = fail
        self.config = SimpleNamespace(preferences=SimpleNamespace(theme="textual-dark"))
        self.updates = 0

    def update(self, change):
        if self.fail is not None:
            raise self.fail
        change(self.config)
        self.updates += 1
        return self.config


def recorder():
    said: list[tuple[str, dict]] = []
    return said, lambda text, **kw: said.append((text, kw))


def test_a_failed_save_is_said_and_returns_none():
    said, notify = recorder()
    services = SimpleNamespace(store=Store(fail=OSError("disk full")))
    assert save_config(services, notify, lambda c: None, what="the theme") is None
    assert said == [("Could not save the theme: disk full", {"severity": "error", "markup": False})]


def test_a_theme_is_saved_except_while_previewed():
    said, notify = recorder()
    store = Store()
    services = SimpleNamespace(store=store)
    with theme_preview(services):
        assert theme_previewing(services)
        assert persist_theme(services, notify, lambda: "nord") is True
    assert store.updates == 0 and not theme_previewing(services)
    assert persist_theme(services, notify, lambda: "nord") is True
    assert store.updates == 1 and store.config.preferences.theme == "nord" and said == []

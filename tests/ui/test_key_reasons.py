"""One scheme for greyed-out keys: ``check_action`` answers through ``greyed`` (Textual's
``None``: shown greyed out), the reason is kept, shown as the footer key's tooltip and
said when the key is pressed."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from c66tui.ui.key_reasons import explain_greyed_key, greyed, greyed_reason
from c66tui.ui.widgets.key_footer import KeyFooter
from tests.ui.notices import notices as shown_notices


class Gated(App):
    BINDINGS = [Binding("d", "delete", "Delete", id="test.delete")]

    def __init__(self) -> None:
        super().__init__()
        self.reason: str | None = "the profile is read-only"
        self.deleted = 0

    def compose(self) -> ComposeResult:
        yield Static("x")
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete":
            return greyed(self, action, self.reason)
        return True

    def action_delete(self) -> None:
        self.deleted += 1

    def on_key(self, event) -> None:
        explain_greyed_key(self.screen, event)


def test_greyed_answers_textual_and_keeps_the_reason():
    node = Static()
    assert greyed(node, "edit", "nothing selected") is None
    assert greyed_reason(node, "edit") == "nothing selected"
    assert greyed(node, "edit", None) is True
    assert greyed_reason(node, "edit") is None


async def test_pressing_a_greyed_key_says_why_and_the_footer_carries_it():
    app = Gated()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        footer = app.query_one(KeyFooter)
        [entry] = [e for e in footer.entries() if e.binding.action == "delete"]
        assert not entry.enabled and entry.tooltip == "the profile is read-only"
        await pilot.press("d")
        await pilot.pause()
        assert app.deleted == 0
        assert any("Delete: the profile is read-only." in n for n in shown_notices(app))
        app.reason = None
        app.refresh_bindings()
        await pilot.press("d")
        await pilot.pause()
        assert app.deleted == 1

"""Check boxes and radio buttons show their state with a glyph, not colour alone."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import RadioSet

from c66tui.ui.widgets.toggles import LegibleCheckbox, LegibleRadioButton


class Toggles(App):
    def compose(self) -> ComposeResult:
        yield LegibleCheckbox("admin", value=False, id="box")
        with RadioSet(id="choice"):
            yield LegibleRadioButton("Apply now", value=True, id="now")
            yield LegibleRadioButton("Apply with the next deployment", id="later")


def marks(app: App) -> dict[str, str]:
    """The glyph between the button's two side pieces, per widget id."""
    return {name: str(app.query_one(f"#{name}").render())[1] for name in ("box", "now", "later")}


async def test_states_differ_in_the_glyph_itself():
    app = Toggles()
    async with app.run_test() as pilot:
        assert marks(app) == {"box": " ", "now": "●", "later": "○"}
        app.query_one("#box", LegibleCheckbox).toggle()
        app.query_one("#later", LegibleRadioButton).value = True
        await pilot.pause()
        assert marks(app) == {"box": "X", "now": "○", "later": "●"}

"""Confirmation dialogs say what they do: counts agree with their nouns and the border
names the real effect of the action."""

from __future__ import annotations

from textual.app import App
from textual.screen import ModalScreen

from c66tui.api.models import Stack
from c66tui.ui.dialogs.confirm import DEFAULT_EFFECT, ConfirmDialog
from c66tui.ui.dialogs.deploy_queue import DeployQueueDialog
from tests.ui.rendering import screen_text


class Host(App):
    """A bare app that opens one dialog and records its answers."""

    def __init__(self, dialog: ModalScreen) -> None:
        super().__init__()
        self.dialog = dialog
        self.answers: list = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.answers.append)


def stacks(count: int) -> list[Stack]:
    return [Stack(f"u{n}", f"shop-{n}", "staging", status=1) for n in range(count)]


async def test_queue_title_agrees_with_its_count():
    for count, words in ((1, "Redeploy 1 stack,"), (3, "Redeploy 3 stacks,")):
        app = Host(DeployQueueDialog(stacks(count)))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            text = screen_text(app)
            assert words in text
            assert "1 stacks" not in text


async def test_border_names_the_effect_given_and_defaults_for_danger():
    effect = "removes a profile from this machine's config"
    app = Host(ConfirmDialog("Remove this profile?", ["Profile: x"], danger=True, effect=effect))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert effect in text and DEFAULT_EFFECT not in text
    app = Host(ConfirmDialog("Cancel deploy?", ["shop"], danger=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert DEFAULT_EFFECT in screen_text(app)
    app = Host(ConfirmDialog("Log out?", ["Profile: x"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert DEFAULT_EFFECT not in screen_text(app)

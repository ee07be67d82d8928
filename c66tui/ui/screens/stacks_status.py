"""The stacks screen's status line and banner (a mixin of :class:`StacksScreen`).

The status line sums the list up in one row: how many stacks, what the filter matched,
the sort, favourites and marks, the last error, the age of a cached list and the polling
plan. It is repainted only when its text changes, so a poll that changes nothing repaints
nothing. The banner above it holds notices (deploys running, journal checks), one a line.
The mixin expects the screen's ``table``, ``services``, ``book`` and polling state.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from c66tui.ops import clock
from c66tui.text import counted, relative_time, sanitize


class StacksStatus:
    """Status line, "no match" notice and banner of the stacks screen."""

    def _render_status(self) -> None:
        table = self.table
        total = len(table.stacks)
        shown = len(table.visible_uids)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if not total and self.services.api is None:
            text.append("Not logged in")
        else:
            text.append(counted(total, "stack"), style="bold")
            if table.filter_text:
                matched = "no match" if not shown else counted(shown, "match", "matches")
                text.append(f" · {matched} ")
                text.append(f"/{sanitize(table.filter_text)}", style="bold")
        text.append(f" · sort {table.sort_label}")
        if table.favourites:
            text.append(f" · {table.symbols['fav']} {len(table.favourites & set(table.stacks))}")
        if table.marks:
            text.append(f" · {len(table.marks)} marked (r redeploys them)", style="bold")
        if self.error:
            text.append(f" · ▲ {self.error}", style="bold")
        if not self.loaded and self.cache_saved_at is not None:
            text.append(
                f" · cached {relative_time(self.cache_saved_at, clock.now())}", style="bold"
            )
        if self.refreshing and (self._user_refresh or not self.loaded):
            text.append(" · refreshing…")
        elif self.plan is not None and self.loaded:
            text.append(f" · {self.plan.label}")
        self._show_empty(bool(total and table.filter_text and not shown))
        if text != self._status_text:  # a poll that changes nothing repaints nothing
            self._status_text = text
            self.query_one("#stacks-status", Static).update(text, layout=False)

    def _show_empty(self, empty: bool) -> None:
        """Say in words that the filter hides every stack (an empty table says nothing)."""
        notice = self.query_one("#stacks-empty", Static)
        if empty:
            query = sanitize(self.table.filter_text)
            notice.update(
                Text(
                    f"No stack matches /{query}. The filter looks at names, environments, "
                    "accounts and states (deployed, failed, deploying, maintenance). "
                    "esc clears it."
                )
            )
        notice.set_class(empty, "-shown")

    def _set_notice(self, key: str, text: Text | None) -> None:
        if text is None:
            self._notices.pop(key, None)
        else:
            self._notices[key] = text
        text = Text("\n", end="").join(self._notices.values())
        if text == self._banner_text:
            return
        self._banner_text = text
        banner = self.query_one("#stacks-banner", Static)
        banner.set_class(bool(self._notices), "-shown")
        banner.update(text)

    def _update_running_notice(self) -> None:
        running = [s for s in self.table.stacks.values() if s.is_deploying]
        unwatched = [s for s in running if s.uid not in self.book]
        if not unwatched:
            self._set_notice("running", None)
            return
        names = ", ".join(sanitize(s.name) for s in unwatched[:4])
        more = f" and {len(unwatched) - 4} more" if len(unwatched) > 4 else ""
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(f"▶ Deploying now: {names}{more}", style="bold")
        text.append(" · w on a stack watches it")
        self._set_notice("running", text)

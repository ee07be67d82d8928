"""Cell renders cached by what a cell shows, not by where it is (a ``DataTable`` mixin).

``DataTable`` caches a rendered cell under its row key and the table's update count, which
every sort, added row or changed cell bumps: after a sort of 5,000 rows each line in view
renders its cells afresh through Rich (about 40 ms a frame at 120x40, most of a key's
answer). Here a one-line ``Text`` cell is rendered once for what decides its look (the
``Text`` object itself, the width, and the styles around it) and the result is kept;
rows share their cell objects (a state, an environment, an age), so after a sort, a
filter or a refill nearly every cell in view is already rendered. The row and column
that mouse clicks read from a segment's meta are added to the cached segments on the
way out, as ``DataTable`` would have put them in.
"""

from __future__ import annotations

from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.renderables.styled import Styled
from textual.widgets import DataTable

CACHE_SIZE = 4096
"""Rendered cells kept (a screenful is a few hundred; distinct cells a few thousand)."""

SegmentLines = list[list[Segment]]


class ContentCellRenders(DataTable):
    """``DataTable`` cells rendered once per look; see the module docstring."""

    _content_renders: LRUCache[tuple, tuple[Text, SegmentLines]] | None = None

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        """The cell's lines: from the content cache for a one-line ``Text`` cell,
        from ``DataTable`` for anything else (the header, labels, other values)."""
        cell = self._one_line_text(row_index, column_index)
        if cell is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        fixed = row_index < self.fixed_rows or column_index < self.fixed_columns
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            fixed,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = base_style + component_style
        key = (id(cell), width, self.cell_padding, pre_style, post_style)
        cache = self._content_renders
        if cache is None:
            cache = self._content_renders = LRUCache(CACHE_SIZE)
        kept = cache.get(key)
        if kept is None or kept[0] is not cell:  # a new cell, or a reused id
            options = self.app.console_options.update_dimensions(width, 1)
            lines = self.app.console.render_lines(
                Styled(
                    Padding(cell, (0, self.cell_padding)),
                    pre_style=pre_style,
                    post_style=post_style,
                ),
                options.update(no_wrap=True),
            )
            kept = cache[key] = (cell, lines)
        meta = Style.from_meta({"row": row_index, "column": column_index})
        return [
            [
                Segment(text, style + meta if style else meta, control)
                for text, style, control in line
            ]
            for line in kept[1]
        ]

    def _one_line_text(self, row_index: int, column_index: int) -> Text | None:
        """The ``Text`` in this body cell of a one-line row (``None`` otherwise)."""
        if row_index < 0 or column_index < 0:
            return None
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        row = self.rows.get(row_key) if row_key is not None else None
        if row is None or row.height != 1 or column_key is None:
            return None
        cell = self._data.get(row_key, {}).get(column_key)
        return cell if isinstance(cell, Text) else None

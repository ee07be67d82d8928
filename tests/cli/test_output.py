"""Plain-text output fits the terminal and reads without colour; JSON is alone on stdout."""

from __future__ import annotations

import io
import json

from c66tui.commands.output import Output, clip, colour_wanted, fit_widths
from c66tui.commands.wait import Progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_widths_fit_the_limit_widest_first():
    assert fit_widths([10, 40, 5], None) == [10, 40, 5]
    fitted = fit_widths([10, 40, 5], 40)
    assert sum(fitted) + 2 * 2 <= 40 and fitted[0] == 10 and fitted[2] == 5
    assert clip("abcdefgh", 5) == "abcd~" and clip("abc", 5) == "abc"


def test_table_is_cut_to_the_terminal_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    out = FakeTerminal()
    Output(out=out).table(("NAME", "DETAIL"), [("shop-backend", "x" * 100)])
    lines = out.getvalue().splitlines()
    assert all(len(line.replace("\x1b[1m", "").replace("\x1b[0m", "")) <= 40 for line in lines)
    assert lines[1].endswith("~")


def test_piped_table_is_never_cut_or_coloured():
    out = io.StringIO()
    Output(out=out).table(("NAME", "DETAIL"), [("shop-backend", "x" * 300)])
    assert "x" * 300 in out.getvalue() and "\x1b" not in out.getvalue()


def test_no_color_and_dumb_terminals_get_no_colour(monkeypatch):
    terminal = FakeTerminal()
    assert colour_wanted(terminal)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colour_wanted(terminal)
    Output(out=terminal).table(("NAME",), [("a",)])
    assert "\x1b" not in terminal.getvalue()
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert not colour_wanted(terminal)


def test_api_text_cannot_reach_the_terminal_raw():
    out = io.StringIO()
    Output(out=out).table(("NAME",), [("evil\x1b]52;c;aGk=\x07name",)])
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()


def test_progress_is_plain_lines_without_a_terminal_and_one_line_on_one():
    err = io.StringIO()
    progress = Progress(Output(err=err), "shop")
    progress.update("queued")
    progress.update("queued")
    progress.update("deploying", elapsed=5, typical=10, detail="deployment #3")
    assert err.getvalue().splitlines() == ["shop: queued", "shop: deploying (deployment #3)"]
    terminal = FakeTerminal()
    progress = Progress(Output(err=terminal), "shop")
    progress.update("deploying", elapsed=5, typical=10)
    progress.done()
    assert "\r" in terminal.getvalue() and "[##########..........]" in terminal.getvalue()


def test_only_one_document_is_printed():
    out = io.StringIO()
    output = Output(json_mode=True, out=out)
    output.document({"a": 1})
    output.document({"b": 2})
    output.line("text")
    assert json.loads(out.getvalue()) == {"a": 1}


def test_wait_with_json_keeps_progress_off_stdout(world, run_installed):
    result = run_installed("redeploy", "-s", "tps-reports", "-y", "--wait", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["deployment"]["status"] == "success"
    assert "tps-reports:" in result.err

"""Starting the full-screen app parses its options without building the commands' parsers,
and reads them exactly as the whole parser does; anything else goes to the whole parser."""

from __future__ import annotations

import pytest

from c66tui import cli

APP_ONLY = [
    [],
    ["--demo"],
    ["--demo", "--fresh"],
    ["--profile", "work", "--api-url", "http://127.0.0.1:1/api/3"],
    ["--api-url=http://x/api/2", "--read-only", "--no-mouse", "--low-bandwidth", "--ascii"],
    ["--profile", "stacks"],  # a value, not the subcommand (as argparse reads it too)
    ["--version"],
]


@pytest.mark.parametrize("argv", APP_ONLY)
def test_the_app_options_parse_alike_with_and_without_the_commands(argv):
    assert cli.app_options_only(argv)
    whole = vars(cli.build_parser().parse_args(argv))
    light = vars(cli.build_parser(with_commands=False).parse_args(argv))
    assert whole.pop("root_parser") is not None
    assert light.pop("root_parser") is None
    assert light.pop("full_parser") is cli.build_parser
    assert light == whole


@pytest.mark.parametrize(
    "argv",
    [
        ["stacks", "list"],
        ["-h"],
        ["--help"],
        ["--dem"],
        ["--profile"],
        ["--profile", "-x"],
        ["--bogus"],
        ["journal"],
        ["--demo", "status"],
    ],
)
def test_anything_else_goes_to_the_whole_parser(argv):
    assert not cli.app_options_only(argv)


def test_a_usage_error_is_still_reported_by_the_whole_parser(capsys):
    assert cli.main(["--demo", "no-such-command"]) == cli.EXIT_USAGE
    assert "invalid choice" in capsys.readouterr().err

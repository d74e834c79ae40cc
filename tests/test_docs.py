"""Docs that tests verify: the README's commands are the ones CI runs; every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text, flags=re.S)[:2]


def test_readme_opens_with_serve_and_test_commands() -> None:
    serve, test = _readme_commands()
    assert "heelpath serve" in serve
    assert "pytest" in test


def test_ci_runs_the_readmes_test_command() -> None:
    _, test = _readme_commands()
    ci = (ROOT / ".ci" / "run").read_text()
    assert test.strip() in [line.strip() for line in ci.splitlines()]


def test_every_cli_command_is_in_the_readme() -> None:
    from heelpath.cli import app

    readme = (ROOT / "README.md").read_text()
    for cmd in app.registered_commands:
        name = cmd.name or (cmd.callback.__name__ if cmd.callback else "")
        assert f"heelpath {name}" in readme, name

"""The text output as a person sees it: phi-lint run in a real terminal (tmux, 100 columns) on the
demo repository, the screen captured with `tmux capture-pane`, with and without colour.

Checked on the screen, not on the string the reporter returns: a headline fits 160 characters
(at most two rows of a 100-column terminal), the source excerpt and its caret line never wrap
(a wrapped excerpt would put the caret under the wrong character), the caret sits under the
tracker code at its column, and escape sequences appear only when colour is on.

Needs tmux (Debian package `tmux`); skipped with the reason when it is not installed.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time

import pytest
from helpers import REPO

from phi_lint.headline import HEADLINE_WIDTH

COLUMNS = 100
ROWS = 120
DEMO = "fixtures/demo-clinic"
TIKTOK = "fixtures/demo-clinic/site/conditions/migraine.html:18:564: PHI002 [TikTok Pixel]"
HEADLINE = re.compile(r"^\S+:\d+:\d+: PHI\d{3} \[")
SGR = re.compile(r"\x1b\[[0-9;]*m")

# CI installs tmux and sets PHI_LINT_REQUIRE_TMUX=1: there a missing tmux fails instead of skipping.
if shutil.which("tmux") is None and os.environ.get("PHI_LINT_REQUIRE_TMUX") == "1":
    raise RuntimeError("PHI_LINT_REQUIRE_TMUX=1 but tmux is not installed (Debian package `tmux`)")
pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (Debian package `tmux`)")


class Terminal:
    """A tmux server of our own (its own socket, no user configuration) whose panes keep their
    screen after the command exits."""

    def __init__(self, tmp_path):
        self.socket = str(tmp_path / "tmux.sock")
        conf = tmp_path / "tmux.conf"
        conf.write_text("set -g remain-on-exit on\nset -g history-limit 5000\n")
        self.conf = str(conf)

    def tmux(self, *args: str) -> str:
        env = {k: v for k, v in os.environ.items() if k != "TMUX"}
        return subprocess.run(
            ["tmux", "-S", self.socket, "-f", self.conf, *args],
            check=True, capture_output=True, text=True, env=env, timeout=30,
        ).stdout

    def start(self, name: str, environment: dict[str, str], *args: str) -> None:
        command = [
            "env", "-u", "NO_COLOR", "-u", "FORCE_COLOR", "TERM=xterm-256color", f"PYTHONPATH={REPO}",
            *(f"{k}={v}" for k, v in environment.items()),
            sys.executable, "-m", "phi_lint", *args,
        ]
        shell = f"cd {shlex.quote(str(REPO))} && {shlex.join(command)}"
        self.tmux("new-session", "-d", "-s", name, "-x", str(COLUMNS), "-y", str(ROWS), shell)

    def wait(self, name: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.tmux("display-message", "-p", "-t", name, "#{pane_dead}").strip() != "1":
            if time.monotonic() > deadline:
                pytest.fail(f"phi-lint did not finish in the terminal within {timeout} s")
            time.sleep(0.1)

    def screen(self, name: str, *flags: str) -> list[str]:
        """The pane's rows from the start of its history (-J: wrapped rows joined)."""
        text = self.tmux("capture-pane", "-p", "-t", name, "-S", "-", *flags)
        lines = [line for line in text.splitlines() if not line.startswith("Pane is dead")]
        while lines and not lines[-1].strip():
            lines.pop()  # the empty rows below the output
        return lines

    def stop(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True, timeout=30)


@pytest.fixture(scope="module")
def screens(tmp_path_factory):
    """The demo run in a 100-column terminal, without colour (NO_COLOR) and with (FORCE_COLOR),
    once for the module (two runs of phi-lint side by side take about 6 s: the tests are slow)."""
    terminal = Terminal(tmp_path_factory.mktemp("terminal"))
    try:
        terminal.start("plain", {"NO_COLOR": "1"}, "--no-cache", DEMO)
        terminal.start("colour", {"FORCE_COLOR": "1"}, "--no-cache", DEMO)
        terminal.wait("plain")
        terminal.wait("colour")
        yield {
            "plain rows": terminal.screen("plain", "-e"),
            "plain": terminal.screen("plain", "-J"),
            "colour": terminal.screen("colour", "-J", "-e"),
        }
    finally:
        terminal.stop()


def _caret_checks(lines: list[str]) -> None:
    """The TikTok finding (a 2,000-character minified line) shows an excerpt whose caret is under
    the code at column 564, with neither the excerpt nor the caret line wrapped."""
    at = next(i for i, line in enumerate(lines) if line.startswith(TIKTOK))
    source, carets = lines[at + 1], lines[at + 2]
    assert len(source) <= COLUMNS and len(carets) <= COLUMNS, "the excerpt or its caret line wraps"
    assert re.match(r"^  18 \| …", source) and re.match(r"^     \| +\^+$", carets)
    column = carets.index("^")
    width = carets.count("^")
    original = (REPO / DEMO / "site/conditions/migraine.html").read_text(encoding="utf-8").splitlines()[17]
    assert source[column: column + width] == original[563: 563 + width]


@pytest.mark.slow
def test_screen_without_colour(screens):
    rows = screens["plain rows"]
    assert rows and not any("\x1b" in row for row in rows), "escape sequences with NO_COLOR"
    lines = screens["plain"]
    headlines = [line for line in lines if HEADLINE.match(line)]
    assert len(headlines) == 7  # the demo's seven problems
    for line in headlines:
        assert len(line) <= HEADLINE_WIDTH, line  # at most two rows of the terminal
    for line in lines:
        if not HEADLINE.match(line) and re.match(r"^  (\d+| +) \|", line):
            assert len(line) <= COLUMNS, f"a source or caret line wraps: {line!r}"
    _caret_checks(lines)
    assert lines[-1] == "Scanned 8 files."


@pytest.mark.slow
def test_screen_with_colour(screens):
    painted = screens["colour"]
    text = "\n".join(painted)
    assert "\x1b[" in text, "no colour with FORCE_COLOR"
    caret_rows = [line for line in painted if "^" in line and re.search(r"\x1b\[[0-9;]*m\^", line)]
    assert caret_rows, "the carets are not coloured"
    plain = [SGR.sub("", line) for line in painted]
    # the same screen once the colours are taken away: colour moves nothing
    assert plain == screens["plain"]
    _caret_checks(plain)

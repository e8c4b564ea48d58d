"""Progress of long work on stderr: in a log (not a terminal), a line at least every LOG_EVERY
seconds with done/total, rate and time left, and one line when a stage ends."""

from __future__ import annotations

import time

import pytest

from matcher.cli.ui import LOG_EVERY, RichProgress, _LogStage


def test_log_stage_prints_progress_lines_while_it_runs(capsys: pytest.CaptureFixture[str]) -> None:
    with _LogStage("index 3/12 tasks", 1000, every=0.05) as stage:
        for _ in range(4):
            stage.advance(100)
            time.sleep(0.06)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) >= 4  # a line per interval, silent work or not, and the final one
    assert all(line.startswith("index 3/12 tasks: ") for line in lines)
    assert any("/1,000 (" in line and "/s, about " in line and " left)" in line for line in lines[:-1])
    assert lines[-1].startswith("index 3/12 tasks: 400/1,000 (") and "left" not in lines[-1]


def test_stage_without_a_total_says_how_long_it_ran(capsys: pytest.CaptureFixture[str]) -> None:
    with _LogStage("loading the encoder", None, every=0.05):
        time.sleep(0.12)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "loading the encoder: running for 0 s" and lines[-1].startswith(
        "loading the encoder: done in"
    )


def test_not_a_terminal_means_log_lines_at_most_15_s_apart(capsys: pytest.CaptureFixture[str]) -> None:
    assert LOG_EVERY <= 15
    with RichProgress().stage("encoding", 10) as stage:  # pytest's stderr is not a terminal
        stage.advance(10)
    assert capsys.readouterr().err.strip().startswith("encoding: 10/10 (")

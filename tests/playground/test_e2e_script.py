"""End-to-end: `python -m bot play --script` with the sample extension."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from playground import play

SCRIPT = """\
# a short scene
@alice in #ballard: hello
@alice: /echo text:"hi there" times:2
@bob in #ballard: /reveal
@carol in #ballard: click "Reveal"
@alice: spoiler: the twist
@alice: /discuss title:"S01E05 talk" member:@bob
@alice: /remind minutes:5 text:tea
~ advance 10m
"""

EXPECTED = """\
#ballard | alice: hello
#ballard | Cliffhanger: hi there hi there
#ballard | Cliffhanger: Something happened in S01E05.
  [Reveal] [Count]
#ballard | Cliffhanger → carol only: It was ||the butler||.
#ballard | alice: spoiler: the twist
#ballard | alice (via webhook): ||the twist||
#ballard | message from alice deleted
#ballard › S01E05 talk | thread created
#ballard › S01E05 talk | bob added
#ballard › S01E05 talk | Cliffhanger: Welcome bob
#ballard | Cliffhanger → alice only: opened S01E05 talk
#ballard | Cliffhanger → alice only: will remind in 5m
#ballard | Cliffhanger: reminder: tea
"""


def _args(script: Path, *extra: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    play.add_arguments(parser)
    argv = ["--script", str(script), "--no-corpus", "--extension", "tests.playground.sample_cog"]
    return parser.parse_args([*argv, *extra])


async def test_plain_output_is_deterministic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "scene.txt"
    script.write_text(SCRIPT)
    assert await play.run_async(_args(script)) == 0
    first = capsys.readouterr().out
    assert first == EXPECTED
    assert await play.run_async(_args(script)) == 0
    assert capsys.readouterr().out == first


async def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "scene.txt"
    script.write_text(SCRIPT)
    assert await play.run_async(_args(script, "--json")) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {e["type"] for e in events} == {
        "message",
        "ephemeral",
        "delete",
        "thread",
        "thread_member",
    }
    reveal = next(e for e in events if e["type"] == "ephemeral")
    assert reveal["visible_to"] == ["carol"] and reveal["spoilers"] == ["the butler"]
    member = next(e for e in events if e["type"] == "thread_member")
    assert member["author"] == "bob" and member["thread"] == "S01E05 talk"
    deleted = next(e for e in events if e["type"] == "delete")
    assert deleted["author"] == "alice"
    assert events[2]["components"] == ["Reveal", "Count"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("@alice: /nope", "no command called 'nope'"),
        ('@bob: click "Nothing"', "no button [Nothing]"),
        ("@alice: /echo", "missing required option"),
    ],
)
async def test_a_line_that_cannot_be_carried_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, reason: str
) -> None:
    script = tmp_path / "bad.txt"
    script.write_text(f"@alice in #ballard: hello\n\n{line}\n@alice: never reached\n")
    assert await play.run_async(_args(script)) == 1
    captured = capsys.readouterr()
    assert f"{script}:3: " in captured.err and reason in captured.err
    assert "never reached" not in captured.out


async def test_bad_syntax_fails_before_starting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "bad.txt"
    script.write_text("@alice in #ballard: fine\nalice says hi\n")
    assert await play.run_async(_args(script)) == 2
    assert f"{script}:2: expected '@user" in capsys.readouterr().err

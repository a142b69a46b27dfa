"""The transcript parser, including bad syntax reported with line numbers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from playground.transcript import (
    Action,
    TranscriptError,
    parse_duration,
    parse_line,
    parse_transcript,
)


def test_parses_every_kind_of_line() -> None:
    text = """# comment
@alice in #ballard: any message text
@alice in #ballard: /progress set show:Ballard episode:S01E05

@alice: /progress list
@bob in #ballard: click "Reveal"
@bob: click 'Hide it'
~ advance 7d
"""
    assert parse_transcript(text) == [
        Action(2, "say", "alice", "ballard", "any message text"),
        Action(3, "command", "alice", "ballard", "/progress set show:Ballard episode:S01E05"),
        Action(5, "command", "alice", None, "/progress list"),
        Action(6, "click", "bob", "ballard", "Reveal"),
        Action(7, "click", "bob", None, "Hide it"),
        Action(8, "advance", delta=timedelta(days=7)),
    ]


def test_channel_names_with_spaces_and_colons_in_text() -> None:
    action = parse_line("@carol in #Ballard S01E05 discussion: time: 10pm", 1)
    assert action == Action(1, "say", "carol", "Ballard S01E05 discussion", "time: 10pm")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("alice: hello", "expected '@user"),
        ("@alice in #ballard:", "nothing to say"),
        ("~ rewind 2h", "unknown clock action"),
        ("~ advance soon", "bad duration"),
        ('@bob: click "', 'expected click "Label"'),
    ],
)
def test_bad_lines_report_their_number(line: str, message: str) -> None:
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(f"# ok\n@alice: fine\n{line}\n")
    assert caught.value.line == 3
    assert message in caught.value.reason
    assert str(caught.value).startswith("line 3:")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30s", timedelta(seconds=30)),
        ("15m", timedelta(minutes=15)),
        ("2h", timedelta(hours=2)),
        ("7d", timedelta(days=7)),
        ("1w", timedelta(weeks=1)),
        ("1d 12h", timedelta(days=1, hours=12)),
        ("1.5h", timedelta(minutes=90)),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected

"""Every transcript in examples/ replays to exactly its recorded output."""

from __future__ import annotations

from pathlib import Path

import pytest

from playground import Playground
from playground.events import format_event
from playground.script import run_actions
from playground.transcript import parse_transcript

pytestmark = pytest.mark.e2e

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.txt"))


def test_every_example_has_expected_output() -> None:
    assert SCRIPTS, "examples/ has no transcripts"
    for script in SCRIPTS:
        assert script.with_suffix(".expected").is_file(), script.name


CASES = [
    (script.read_text(), script.with_suffix(".expected").read_text())
    for script in SCRIPTS
    if script.with_suffix(".expected").is_file()
]


@pytest.mark.parametrize(("script", "expected"), CASES, ids=[s.stem for s in SCRIPTS])
async def test_example_replays_as_recorded(
    playground: Playground, script: str, expected: str
) -> None:
    lines: list[str] = []
    await run_actions(
        playground,
        parse_transcript(script),
        lambda e: lines.append(format_event(e)),
        files=EXAMPLES,
    )
    assert "\n".join(lines).splitlines() == expected.splitlines()

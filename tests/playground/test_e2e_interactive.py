"""End-to-end: the interactive playground, driven line by line and through stdin."""

from __future__ import annotations

import io

import pytest

from playground import Playground
from playground.interactive import HELP, Session, handle, repl


async def test_controls_and_spoiler_hiding(pg: Playground) -> None:
    out: list[str] = []
    session = Session(pg, write=out.append)
    for line in [
        "hello",
        "/reveal",
        ":as bob",
        ":click Reveal",
        ":reveal",
        ":click Reveal",
        ":in #ballard",
        "/secret text:psst",
        ":as carol",
        ":history",
        ":advance 2h",
    ]:
        assert await handle(session, line)
    assert out[0] == "#general | alice: hello"
    assert "#general | Cliffhanger → bob only: It was ███." in out
    assert "#general | Cliffhanger → bob only: It was ||the butler||." in out
    assert "#ballard | Cliffhanger → bob only: only you: psst" in out
    # carol's history of #ballard does not include bob's ephemeral reply
    assert out[-1].startswith("it is now 2026-01-02 14:00")
    assert not any("psst" in line for line in out[out.index("you are now carol") :])


async def test_errors_are_shown_not_raised(pg: Playground) -> None:
    out: list[str] = []
    session = Session(pg, write=out.append)
    assert await handle(session, "/nope")
    assert await handle(session, ":click Missing")
    assert await handle(session, ":bogus")
    assert await handle(session, "/help")
    assert out[0].startswith("! no command called 'nope'")
    assert out[1].startswith("! no button [Missing]")
    assert out[2].startswith("! unknown control :bogus")
    assert out[3] == HELP
    assert not await handle(session, ":quit")


async def test_autocomplete_and_modal_controls(pg: Playground) -> None:
    out: list[str] = []
    session = Session(pg, write=out.append)
    await handle(session, ":complete /pick show bal")
    assert out[-1] == "  Ballard"
    await handle(session, "a message to mark")
    message = pg.visible_messages("mod", "general")[-1]
    await pg.context_menu("mod", "Mark as spoiler", message)
    session.user = "mod"
    await handle(session, ":modal Reason='names the killer'")
    assert out[-1].endswith("as a spoiler: names the killer")


async def test_reads_stdin_until_eof_without_a_terminal(
    pg: Playground, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("hello\n/echo text:yo\n"))
    await repl(pg)
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == ["#general | alice: hello", "#general | Cliffhanger: yo"]

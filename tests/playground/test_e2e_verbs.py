"""End-to-end: what people do to messages (`:edit`, `:delete`, `:apps`, `:attach`, `:modal`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from playground import Playground
from playground.actions import PlaygroundError
from playground.interactive import HELP, Session, handle
from playground.script import run_actions
from playground.transcript import Action, TranscriptError, parse_transcript
from playground.verbs import VERBS, run_verb


def test_transcripts_parse_verbs_and_reject_unknown_ones() -> None:
    actions = parse_transcript('@alice in #ballard: :edit it was the dad\n@mod: :apps "Mark it"\n')
    assert actions == [
        Action(1, "verb", "alice", "ballard", ":edit it was the dad"),
        Action(2, "verb", "mod", None, ':apps "Mark it"'),
    ]
    with pytest.raises(TranscriptError, match="unknown control :bogus") as caught:
        parse_transcript("@alice: hi\n@alice: :bogus\n")
    assert caught.value.line == 2
    with pytest.raises(TranscriptError, match="usage: :edit NEW TEXT"):
        parse_transcript("@alice: :edit\n")


async def test_edit_changes_your_own_newest_message_not_someone_elses(pg: Playground) -> None:
    await pg.send("alice", "ballard", "first")
    await pg.send("alice", "ballard", "second")
    await pg.send("bob", "ballard", "bob's")
    (edit,) = await run_verb(pg, "alice", "ballard", ":edit second, fixed")
    assert (edit.type, edit.author, edit.content) == ("edit", "alice", "second, fixed")
    contents = [m.content for m in pg.visible_messages("carol", "ballard")]
    assert contents == ["first", "second, fixed", "bob's"]


async def test_nothing_to_act_on_is_a_clear_error(pg: Playground) -> None:
    with pytest.raises(PlaygroundError, match="no message by alice in #ballard"):
        await run_verb(pg, "alice", "ballard", ":edit hello")


async def test_delete_your_own_or_with_manage_messages(pg: Playground) -> None:
    await pg.send("alice", "ballard", "oops")
    with pytest.raises(PlaygroundError, match="needs Manage Messages"):
        await run_verb(pg, "bob", "ballard", ":delete @alice")
    (gone,) = await run_verb(pg, "mod", "ballard", ":delete @alice")
    assert (gone.type, gone.author) == ("delete", "alice")
    await pg.send("bob", "ballard", "mine")
    (gone,) = await run_verb(pg, "bob", "ballard", ":delete")
    assert gone.author == "bob"
    assert pg.visible_messages("carol", "ballard") == []
    with pytest.raises(ValueError, match="expected @NAME"):
        await run_verb(pg, "bob", "ballard", ":delete alice")


async def test_apps_menu_opens_a_form_that_modal_answers(pg: Playground) -> None:
    await pg.send("alice", "ballard", "the twist is near")
    await pg.send("bob", "ballard", "unrelated")
    (form,) = await run_verb(pg, "mod", "ballard", ':apps "Mark as spoiler" @alice')
    assert form.type == "modal" and form.visible_to == ["mod"]
    assert form.content.startswith("📝 form")
    (reply,) = await run_verb(pg, "mod", "ballard", ":modal Reason='names the killer'")
    target = pg.visible_messages("mod", "ballard")[0]
    assert reply.content == f"Marked message {target.id} as a spoiler: names the killer"
    with pytest.raises(ValueError, match="usage"):
        await run_verb(pg, "mod", "ballard", ":apps")


async def test_attach_sends_a_file_read_under_the_transcript_folder(
    pg: Playground, tmp_path: Path
) -> None:
    (tmp_path / "my notes.txt").write_text("abc")
    (tmp_path / "board.png").write_bytes(b"png")
    actions = parse_transcript(
        '@alice in #ballard: :attach board.png look at this\n@alice: :attach "my notes.txt"\n'
    )
    seen = []
    await run_actions(pg, actions, seen.append, files=tmp_path)
    assert [(e.content, e.attachments) for e in seen if e.author == "alice"] == [
        ("look at this", ["board.png"]),
        ("", ["my notes.txt"]),
    ]
    with pytest.raises(ValueError, match=r"no such file: missing\.png"):
        await run_verb(pg, "alice", "ballard", ":attach missing.png", files=tmp_path)
    with pytest.raises(ValueError, match="unclosed quote"):
        await run_verb(pg, "alice", "ballard", ':attach "my notes.txt', files=tmp_path)


async def test_interactive_prompt_offers_the_same_verbs(pg: Playground) -> None:
    out: list[str] = []
    session = Session(pg, write=out.append, channel="ballard")
    assert await handle(session, "hello")
    assert await handle(session, ":edit hello again")
    assert await handle(session, ":delete @bob")
    assert out[-2] == "#ballard | alice (edited): hello again"
    assert out[-1] == "! no message by bob in #ballard for alice to use"
    for verb in VERBS:
        assert f":{verb}" in HELP

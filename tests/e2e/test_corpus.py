"""/corpus add end to end: an admin uploads a review; bad files are refused, nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from playground import Playground

pytestmark = pytest.mark.e2e

REVIEW = """---
show: Harbor Nights
season: 1
episode: 1
source: Test Desk
---
Mara Quill inherits a lighthouse and a debt. Her brother Tobin refuses to help.

A gentle, moody start. Rating: 7/10
"""


@pytest.fixture
def review_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "good": tmp_path / "harbor-nights-s01e01.md",
        "bad": tmp_path / "broken.md",
        "binary": tmp_path / "image.png",
    }
    files["good"].write_text(REVIEW)
    files["bad"].write_text(REVIEW.replace("Rating: 7/10", "Rating: 11/10"))
    files["binary"].write_bytes(b"\x89PNG\r\n")
    return files


async def test_admin_adds_a_review_and_the_show_becomes_known(
    playground: Playground, review_files: dict[str, Path]
) -> None:
    (reply,) = await playground.command(
        "admin", "general", f"/corpus add file:{review_files['good']}"
    )
    assert reply.visible_to == ["admin"]
    assert "Imported harbor-nights-s01e01.md" in reply.content and "1 added" in reply.content
    (saved,) = await playground.command(
        "alice", "general", '/progress set show:"harbor nights" episode:1'
    )
    assert "**Harbor Nights**" in saved.content
    (recap,) = await playground.command("alice", "general", '/recap view show:"Harbor Nights"')
    assert "Mara Quill inherits a lighthouse" in recap.content


async def test_bad_file_is_refused_with_file_and_line(
    playground: Playground, review_files: dict[str, Path]
) -> None:
    (reply,) = await playground.command(
        "admin", "general", f"/corpus add file:{review_files['bad']}"
    )
    assert "broken.md:9: rating 11 is outside 0–10" in reply.content
    (reply,) = await playground.command(
        "admin", "general", f"/corpus add file:{review_files['binary']}"
    )
    assert "only .md and .txt" in reply.content
    (missing,) = await playground.command(
        "alice", "general", '/progress set show:"harbor nights" episode:1'
    )
    assert "don't know a show" in missing.content


async def test_members_cannot_add_reviews(
    playground: Playground, review_files: dict[str, Path]
) -> None:
    from playground.harness import PlaygroundError

    with pytest.raises(PlaygroundError):
        await playground.command("alice", "general", f"/corpus add file:{review_files['good']}")


HOSTILE = {
    "bomb.md": ("billion laughs", "author"),
    "dates.md": ("impossible date", "aired"),
    "long.md": ("over-long source", "source"),
    "nul.md": ("NUL escaped in a title", "title"),
}


async def test_hostile_uploads_get_one_private_line_and_store_nothing(
    playground: Playground, tmp_path: Path
) -> None:
    from bench.hostile_corpus import parse_cases

    cases = {case.name: case for case in parse_cases()}
    for name, (case_name, field) in HOSTILE.items():
        (tmp_path / name).write_bytes(cases[case_name].files["bad.md"])
        (reply,) = await playground.command(
            "admin", "general", f"/corpus add file:{tmp_path / name}"
        )
        assert reply.visible_to == ["admin"], reply
        assert reply.content.count("\n") == 0 and name in reply.content, reply.content
        assert field in reply.content.split(name, 1)[1], reply.content
    (missing,) = await playground.command(
        "alice", "general", '/progress set show:"harbor nights" episode:1'
    )
    assert "don't know a show" in missing.content

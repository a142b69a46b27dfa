"""The evaluation corpus parses, its labels name real episodes, and it is as large as promised."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rapidfuzz import fuzz, process

from bot.catalog.specs import ShowSpec, parse_show_toml
from bot.corpus.documents import parse_document

ROOT = Path(__file__).resolve().parents[2] / "bench" / "eval_corpus"
SHOW_DIRS = sorted(path for path in ROOT.iterdir() if (path / "show.toml").is_file())
CODE = re.compile(r"^S(\d\d)E(\d\d)$")
KINDS = {"spoiler", "safe-plot", "speculation", "premise", "everyday"}


def _spec(show_dir: Path) -> ShowSpec:
    return parse_show_toml((show_dir / "show.toml").read_bytes(), str(show_dir / "show.toml"))


def _ordinals(spec: ShowSpec) -> dict[str, int]:
    codes = {"S00E00": 0}
    for season in spec.seasons:
        for episode in range(1, len(season.episode_titles) + 1):
            codes[f"S{season.number:02d}E{episode:02d}"] = len(codes)
    return codes


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _check_row(row: dict[str, Any], spec: ShowSpec, codes: dict[str, int]) -> None:
    assert set(row) == {"show", "progress", "text", "reveals", "kind"}, row
    assert row["show"] == spec.title and row["kind"] in KINDS and row["text"].strip(), row
    assert CODE.match(row["progress"]) and row["progress"] in codes, row
    reveals = row["reveals"]
    assert reveals is None or reveals in codes, row
    progress, revealed = codes[row["progress"]], codes.get(reveals or "")
    expected = {
        "spoiler": revealed is not None and revealed > progress,
        "safe-plot": revealed is not None and 1 <= revealed <= progress,
        "speculation": revealed is None,
        "premise": revealed in (None, 0),
        "everyday": revealed is None,
    }
    assert expected[row["kind"]], row


@pytest.mark.parametrize("show_dir", SHOW_DIRS, ids=lambda path: path.name)
def test_every_show_parses_and_its_labels_name_real_episodes(show_dir: Path) -> None:
    spec = _spec(show_dir)
    codes = _ordinals(spec)
    for row in _rows(show_dir / "messages.jsonl") + _rows(show_dir / "everyday.jsonl"):
        _check_row(row, spec, codes)
    assert all(row["kind"] == "everyday" for row in _rows(show_dir / "everyday.jsonl"))


@pytest.mark.parametrize("show_dir", SHOW_DIRS, ids=lambda path: path.name)
def test_every_episode_has_recaps_from_three_authors(show_dir: Path) -> None:
    spec = _spec(show_dir)
    documents = [parse_document(path.read_bytes(), str(path)) for path in show_dir.glob("s*.md")]
    covered = Counter((doc.season, doc.episode) for doc in documents)
    for season in spec.seasons:
        for episode in range(1, len(season.episode_titles) + 1):
            assert covered[(season.number, episode)] >= 2, (season.number, episode)
    assert all(doc.show == spec.title for doc in documents)
    assert len({doc.author for doc in documents}) >= 3


def test_the_set_is_as_large_as_promised_and_no_text_repeats() -> None:
    shows = [_rows(path / "messages.jsonl") for path in SHOW_DIRS]
    everyday = [_rows(path / "everyday.jsonl") for path in SHOW_DIRS]
    texts = [row["text"].casefold() for rows in shows + everyday for row in rows]
    assert len(SHOW_DIRS) >= 10
    assert sum(map(len, shows)) >= 1500 and sum(map(len, everyday)) >= 1000
    assert all(len(rows) >= 155 for rows in shows) and all(len(rows) >= 105 for rows in everyday)
    assert [text for text, count in Counter(texts).items() if count > 1] == []


def test_everyday_chatter_is_not_recycled_across_shows() -> None:
    lines = [
        (path.name, row["text"].casefold())
        for path in SHOW_DIRS
        for row in _rows(path / "everyday.jsonl")
    ]
    texts = [text for _, text in lines]
    near = [
        (lines[index][1], match)
        for index, (show, text) in enumerate(lines)
        for match, _, other in process.extract(text, texts, scorer=fuzz.ratio, score_cutoff=85)
        if lines[other][0] != show
    ]
    assert near == []

"""Review file parsing and sentence splitting (pure)."""

from __future__ import annotations

import pytest

from bot.catalog.specs import parse_show_toml
from bot.corpus.documents import DocumentOverrides, parse_document
from bot.corpus.sentences import classify, split_sentences
from bot.corpus.service import ImportSummary
from bot.errors import CorpusError
from tests.conftest import SAMPLE_CORPUS


def test_every_sample_document_parses_with_a_rating() -> None:
    documents = sorted(SAMPLE_CORPUS.glob("*/s*.md"))
    assert len(documents) >= 40
    for path in documents:
        parsed = parse_document(path.read_bytes(), str(path))
        assert parsed.rating is not None, path
        assert 150 <= len(parsed.body.split()) <= 600, path


def test_sample_catalogues_parse() -> None:
    specs = [parse_show_toml(p.read_bytes(), str(p)) for p in SAMPLE_CORPUS.glob("*/show.toml")]
    assert len(specs) >= 8
    assert sum(1 for s in specs if sum(len(x.episode_titles) for x in s.seasons) >= 8) >= 3
    assert any(len(s.seasons) >= 2 for s in specs)


def test_header_rating_wins_and_body_rating_is_found() -> None:
    with_header = b"---\nshow: X\nseason: 1\nepisode: 1\nrating: 7/10\n---\nText. Rating: 9/10\n"
    assert parse_document(with_header, "a.md").rating == 7.0
    body_only = b"---\nshow: X\nseason: 1\nepisode: 1\n---\nText.\n\n**Rating:** 8.5/10\n"
    assert parse_document(body_only, "b.md").rating == 8.5


def test_headerless_document_uses_overrides() -> None:
    parsed = parse_document(b"Plain text body.", "c.txt", DocumentOverrides("X", 2, 3))
    assert (parsed.show, parsed.season, parsed.episode, parsed.rating) == ("X", 2, 3, None)


def test_missing_show_or_episode_names_the_header_and_the_option() -> None:
    with pytest.raises(CorpusError, match=r"c\.txt:1: no show: add a header .* the show option"):
        parse_document(b"Plain text body.", "c.txt")
    with pytest.raises(CorpusError, match=r"no episode: add it to the header, or give the episode"):
        parse_document(b"---\nshow: X\nseason: 1\n---\nbody", "c.md")


def test_import_summary_counts_in_plain_english() -> None:
    summary = ImportSummary(files=1, documents_added=1, episodes={("Ballard", "S01E03")})
    assert summary.describe() == (
        "1 file: 1 show, 1 episode; reviews 1 added, 0 updated, 0 unchanged; "
        "catalogues 0 added, 0 updated."
    )


def test_header_must_be_key_value_lines() -> None:
    with pytest.raises(CorpusError, match=r"c\.md:3: the header is not valid"):
        parse_document(b"---\nshow: X\n  - : [\n---\nbody", "c.md")


def test_bad_catalogue_is_named() -> None:
    with pytest.raises(CorpusError, match=r"show\.toml: title: a show\.toml needs one"):
        parse_show_toml(b"aliases = []", "show.toml")
    with pytest.raises(CorpusError, match="not valid TOML"):
        parse_show_toml(b"title = ", "show.toml")


def test_sentences_keep_order_and_kinds() -> None:
    body = (
        "# Heading\n\nRawls dies on the dock. Ana *screams*.\n\n"
        "The acting is superb and the score is great.\n\nRating: 9/10"
    )
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == [
        "Heading",
        "Rawls dies on the dock.",
        "Ana screams.",
        "The acting is superb and the score is great.",
        "Rating: 9/10",
    ]
    assert [s.kind for s in sentences][1:] == ["narration", "narration", "opinion", "verdict"]
    assert [s.position for s in sentences] == list(range(5))


def test_classify_opinion_versus_narration() -> None:
    assert classify("Pearlman is arrested at the marina.") == "narration"
    assert classify("I thought this was the best episode of the season.") == "opinion"

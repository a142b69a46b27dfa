"""The index by the piece: per-show models cached by fingerprint, assembled like a whole build."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest

from bench.spoilers import load_cases
from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine import CorpusSentence, ShowCorpus, SpoilerIndex, pieces
from bot.guard.engine.model import build_model
from bot.guard.engine.pieces import (
    Assembler,
    assemble,
    build_piece,
    names_verdict,
    pending_names,
    piece_path,
    read_piece,
    show_fingerprint,
    write_atomically,
)
from bot.guard.index_cache import PieceCache
from tests.bot.guard.engine.conftest import count_builds

E = EpisodeRef


def _prints(corpora: list[ShowCorpus]) -> dict[int, str]:
    return {corpus.show_id: show_fingerprint(corpus) for corpus in corpora}


def test_pieces_built_in_worker_processes_give_the_whole_builds_verdicts(
    sample: list[ShowCorpus], sample_index: SpoilerIndex, tmp_path: Path
) -> None:
    cache = PieceCache(tmp_path, workers=2)
    try:
        index = assemble(cache.models(sample, _prints(sample)))
    finally:
        cache.close()
    assert len(list(tmp_path.glob("show-*.model"))) == len(sample)
    ids = {corpus.title: corpus.show_id for corpus in sample}
    cases = load_cases()
    assert len(cases) > 100
    for case in cases:
        show_id = ids[case.show]
        assert index.check(case.text, show_id, case.progress) == sample_index.check(
            case.text, show_id, case.progress
        ), case.text
    assert index.known_words == sample_index.known_words
    assert index.name_owners == sample_index.name_owners


def test_loaded_pieces_give_the_same_verdicts(
    sample: list[ShowCorpus], sample_index: SpoilerIndex, tmp_path: Path
) -> None:
    PieceCache(tmp_path, workers=1).models(sample, _prints(sample))
    loaded = PieceCache(tmp_path, workers=1).known(_prints(sample))
    assert loaded.keys() == {corpus.show_id for corpus in sample}
    index = assemble(loaded)
    ballard = next(c.show_id for c in sample if c.title == "Ballard")
    text = "cant believe the captain walks free lol"
    assert index.check(text, ballard, E(1, 5)) == sample_index.check(text, ballard, E(1, 5))


def test_one_review_added_rebuilds_only_that_show(
    sample: list[ShowCorpus], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    PieceCache(tmp_path, workers=1).models(sample, _prints(sample))
    built = count_builds(monkeypatch)
    first = sample[0]
    review = CorpusSentence(E(1, 2), "Nobody expected the lighthouse keeper to sing.")
    grown = dataclasses.replace(first, sentences=(*first.sentences, review))
    corpora = [grown, *sample[1:]]
    cache = PieceCache(tmp_path, workers=1)  # a fresh process: everything else from the folder
    models = cache.models(corpora, _prints(corpora))
    assert built == [first.show_id]
    assert models.keys() == {corpus.show_id for corpus in sample}
    assert cache.models(corpora, _prints(corpora)) == models and built == [first.show_id]


def test_changed_engine_code_misses_every_piece(
    sample: list[ShowCorpus], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    PieceCache(tmp_path, workers=1).models(sample[:2], _prints(sample[:2]))
    built = count_builds(monkeypatch)
    monkeypatch.setattr(pieces, "engine_fingerprint", lambda: "0123456789abcdef")
    cache = PieceCache(tmp_path, workers=1)
    assert cache.known(_prints(sample[:2])) == {}
    cache.models(sample[:2], _prints(sample[:2]))
    assert sorted(built) == sorted(c.show_id for c in sample[:2])
    assert len(list(tmp_path.glob("show-0123456789abcdef-*.model"))) == 2


@pytest.mark.parametrize("content", [b"not a pickle", b"", b"\x80\x05K\x01."])
def test_a_corrupt_piece_is_rebuilt_not_fatal(
    sample: list[ShowCorpus], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    corpus = sample[0]
    fingerprint = show_fingerprint(corpus)
    PieceCache(tmp_path, workers=1).models([corpus], {corpus.show_id: fingerprint})
    path = piece_path(tmp_path, corpus.show_id, fingerprint)
    path.write_bytes(content)
    assert read_piece(path, corpus.show_id) is None
    built = count_builds(monkeypatch)
    models = PieceCache(tmp_path, workers=1).models([corpus], {corpus.show_id: fingerprint})
    assert built == [corpus.show_id] and models[corpus.show_id].corpus_units > 0
    assert read_piece(path, corpus.show_id) is not None  # written again, whole


def test_a_piece_of_another_show_is_not_read(sample: list[ShowCorpus], tmp_path: Path) -> None:
    one, other = sample[0], sample[1]
    PieceCache(tmp_path, workers=1).models([one], _prints([one]))
    moved = piece_path(tmp_path, other.show_id, "f" * 16)
    piece_path(tmp_path, one.show_id, show_fingerprint(one)).rename(moved)
    assert read_piece(moved, other.show_id) is None


def test_forgetting_deletes_superseded_pieces(sample: list[ShowCorpus], tmp_path: Path) -> None:
    cache = PieceCache(tmp_path, workers=1)
    cache.models(sample[:2], _prints(sample[:2]))
    cache.forget_others(_prints(sample[:1]))
    assert [p.name for p in tmp_path.glob("show-*.model")] == [
        piece_path(tmp_path, sample[0].show_id, show_fingerprint(sample[0])).name
    ]


def test_assembly_leaves_an_answering_index_untouched(sample: list[ShowCorpus]) -> None:
    models = {c.show_id: build_model(c) for c in sample}
    whole = assemble(models)
    before = {i: list(m.weights) for i, m in whole.models.items()}
    assemble({i: m for i, m in whole.models.items() if i != sample[0].show_id})
    assert {i: list(m.weights) for i, m in whole.models.items()} == before


def test_the_fingerprint_follows_the_shows_text(sample: list[ShowCorpus]) -> None:
    corpus = sample[0]
    assert show_fingerprint(corpus) == show_fingerprint(dataclasses.replace(corpus))
    edited = (*corpus.sentences[:-1], dataclasses.replace(corpus.sentences[-1], text="x"))
    assert show_fingerprint(corpus) != show_fingerprint(
        dataclasses.replace(corpus, sentences=edited)
    )


def test_an_unbuilt_show_is_checked_by_its_names_and_errs_late(sample: list[ShowCorpus]) -> None:
    ballard = next(c for c in sample if c.title == "Ballard")
    names = pending_names(ballard)
    assert "rawls" in names and "ballard" not in names
    last = max(s.episode for s in ballard.sentences)
    verdict = names_verdict(names, "rawls gets shot at the cannery", E(1, 3), last)
    assert verdict.spoiler and verdict.episode == verdict.label_episode == last
    assert not names_verdict(names, "who's watching tonight?", E(1, 3), last).spoiler
    assert not names_verdict(names, "rawls gets shot", last, last).spoiler
    assert names_verdict(names, "Rawls!!", NOTHING, last).spoiler


def test_reassembly_redoes_only_the_weights_that_change(
    sample: list[ShowCorpus], sample_index: SpoilerIndex
) -> None:
    models = {c.show_id: build_model(c) for c in sample}
    assembler = Assembler()
    partial = assembler({i: m for i, m in models.items() if i != sample[0].show_id})
    whole = assembler(models)  # one show more: every share changes, every weight is redone
    assert {i: m.weights for i, m in whole.models.items()} == {
        i: m.weights for i, m in sample_index.models.items()
    }
    first = sample[0]
    review = CorpusSentence(E(1, 2), "Nobody expected the lighthouse keeper to sing.")
    grown = build_model(dataclasses.replace(first, sentences=(*first.sentences, review)))
    again = assembler({**models, first.show_id: grown})
    fresh = assemble({**models, first.show_id: grown})
    assert {i: m.weights for i, m in again.models.items()} == {
        i: m.weights for i, m in fresh.models.items()
    }
    kept = [i for i in models if again.models[i].weights is whole.models[i].weights]
    assert first.show_id not in kept and len(kept) >= 1
    assert partial.models.keys() < whole.models.keys()


def test_builders_of_one_show_take_turns_and_the_second_reads_the_first(
    sample: list[ShowCorpus], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = sample[0]
    fingerprint = show_fingerprint(corpus)
    path = piece_path(tmp_path, corpus.show_id, fingerprint)
    built = count_builds(monkeypatch)
    results: list[bytes] = []
    with pieces._building(path):  # another process is building this show
        waiting = threading.Thread(
            target=lambda: results.append(build_piece(corpus, fingerprint, tmp_path))
        )
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive() and not results  # it waits its turn
        write_atomically(path, pieces._built(corpus))
    waiting.join(30)
    assert built == [corpus.show_id]  # the first builder's build only
    assert results == [path.read_bytes()]

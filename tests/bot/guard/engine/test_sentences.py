"""Sentence texts stored compactly: mapped from a saved model's file, quoted exactly as built."""

from __future__ import annotations

import copy
import gc
import pickle
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.spoilers import load_cases
from bot.catalog.episodes import EpisodeRef
from bot.guard.engine import CorpusSentence, ShowCorpus, SpoilerIndex, piece_file
from bot.guard.engine.mapped import MappedTail
from bot.guard.engine.model import ShowModel, build_model
from bot.guard.engine.piece_file import parse_piece
from bot.guard.engine.pieces import assemble, build_piece, read_piece
from bot.guard.engine.sentences import Sentences, sentence_block

E = EpisodeRef


def _saved(corpus: ShowCorpus, folder: Path) -> Path:
    path = folder / f"show-{corpus.show_id}.model"
    path.write_bytes(build_piece(corpus, "f" * 16, None))
    return path


def _quotes(model: ShowModel) -> list[str]:
    return [model.text(unit) for unit in range(model.corpus_units)]


@given(st.lists(st.text(max_size=40)))
def test_a_block_quotes_every_text_back(texts: list[str]) -> None:
    sentences = Sentences.of(texts)
    assert [sentences[unit] for unit in range(len(sentences))] == texts
    with pytest.raises(IndexError):
        sentences[len(texts)]
    assert pickle.loads(pickle.dumps(sentences)) == sentences
    assert copy.deepcopy(sentences) is sentences


@pytest.mark.parametrize("cut", [1, 3, 9])
def test_a_cut_block_is_refused(cut: int) -> None:
    block = sentence_block(["Zoë meets Ana.", "Ana's café burns."])
    with pytest.raises(ValueError):
        Sentences.from_block(block[:-cut])


def test_a_saved_model_reads_back_whole_with_its_texts_mapped(
    sample: list[ShowCorpus], tmp_path: Path
) -> None:
    for corpus in sample:
        built = build_model(corpus)
        loaded = read_piece(_saved(corpus, tmp_path), corpus.show_id)
        assert loaded is not None
        assert isinstance(loaded.sentences._block, MappedTail)
        assert _quotes(loaded) == _quotes(built)
        assert loaded == built


def test_mapped_texts_outlive_their_file(sample: list[ShowCorpus], tmp_path: Path) -> None:
    path = _saved(sample[0], tmp_path)
    loaded = read_piece(path, sample[0].show_id)
    assert loaded is not None
    path.unlink()  # another process's cleanup, or a newer copy moved into place
    gc.collect()
    assert _quotes(loaded) == _quotes(build_model(sample[0]))


def test_without_a_map_the_texts_are_read(
    sample: list[ShowCorpus], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unmappable(*_: object) -> None:
        raise OSError("no mmap here")

    monkeypatch.setattr(piece_file, "MappedTail", unmappable)
    loaded = read_piece(_saved(sample[0], tmp_path), sample[0].show_id)
    assert loaded is not None and _quotes(loaded) == _quotes(build_model(sample[0]))


def test_a_piece_cut_short_is_not_read(sample: list[ShowCorpus], tmp_path: Path) -> None:
    path = _saved(sample[0], tmp_path)
    path.write_bytes(path.read_bytes()[:-5])
    assert read_piece(path, sample[0].show_id) is None


def _held(read: Callable[[], object]) -> int:
    """Bytes the Python heap holds after `read`, with what it returned still alive."""
    gc.collect()
    tracemalloc.start()
    try:
        kept = read()
        held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kept is not None
    return held


def test_a_loaded_models_texts_stay_off_the_heap(tmp_path: Path) -> None:
    rows = [
        CorpusSentence(
            E(1, 1 + n // 40), f"At the harbor Ana waits, and waits, {n % 7} times. " * 4
        )
        for n in range(2000)
    ]
    path = _saved(ShowCorpus(1, "Long", sentences=tuple(rows)), tmp_path)
    text_bytes = sum(len(row.text.encode()) for row in rows)
    mapped = _held(lambda: read_piece(path, 1))
    in_memory = _held(lambda: parse_piece(path.read_bytes()))
    assert mapped < in_memory - text_bytes * 0.9, (mapped, in_memory, text_bytes)
    assert mapped < text_bytes / 2


def test_mapped_pieces_quote_the_whole_builds_evidence(
    sample: list[ShowCorpus], sample_index: SpoilerIndex, tmp_path: Path
) -> None:
    models = {
        corpus.show_id: read_piece(_saved(corpus, tmp_path), corpus.show_id) for corpus in sample
    }
    index = assemble({show_id: model for show_id, model in models.items() if model is not None})
    assert index.models.keys() == sample_index.models.keys()
    ids = {corpus.title: corpus.show_id for corpus in sample}
    sentences = {text for model in sample_index.models.values() for text in _quotes(model)}
    quoted = 0
    for case in load_cases():
        show_id = ids[case.show]
        verdict = index.check(case.text, show_id, case.progress)
        assert verdict == sample_index.check(case.text, show_id, case.progress), case.text
        quoted += sum(item.matched in sentences for item in verdict.evidence)
    assert quoted > 10  # sentences were quoted from the mapped files

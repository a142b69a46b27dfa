"""The faster build's short cuts answer as the plain readings they replace (issue 21)."""

from __future__ import annotations

import pickle
import random

from bench.synthetic import corpus, plan
from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.analysis import _ABBREVIATION, clause_words, close_abbreviations
from bot.guard.engine.casing import cased, find_names, names_in, role_episodes, roles_since
from bot.guard.engine.text import simple_words
from bot.guard.engine.types import CorpusSentence, ShowCorpus, TaughtPhrase

TITLE_PARTS = ["Dr", "dr", "MRS", "Mr", "ms", "Prof", "capt", "Sgt", "lt", "Det", "St", "ſt"]
TITLE_PARTS += ["x", "_", "1", "é", "İ", ".", ". ", " ", ",", "-", "rawls", "Mrss", "aSt", "'"]
CLAUSE_PARTS = [*'abc xyz09-,.;:!?()[]"\n&/*', " - ", "--", "rawls", "  ", "…", "—", "“"]


def _texts(parts: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(parts) for _ in range(rng.randint(0, 9))) for _ in range(count)]


def test_titles_are_closed_exactly_where_the_title_pattern_matches() -> None:
    texts = _texts(TITLE_PARTS, 20_000, 1)
    texts += ["Dr. Rawls met Mrs. Vance.", "the last.", "Sgt.Det.", "xDr. no", "St.", "ſt. x"]
    for text in texts:
        assert close_abbreviations(text) == _ABBREVIATION.sub(r"\1", text), text


def test_clauses_of_a_simple_text_hold_the_words_of_the_general_reading() -> None:
    checked = 0
    for text in _texts([*CLAUSE_PARTS, "o'neil", "rawls's"], 20_000, 2):
        simple = simple_words(text)
        if simple is not None:  # no idiom or number to rewrite: both readings apply
            assert clause_words(text, simple) == clause_words(text, None), repr(text)
            checked += 1
    assert checked > 5_000


def test_one_split_of_each_sentence_serves_names_and_roles() -> None:
    show = corpus(plan(4, 12), 40)
    split = [cased(sentence.text) for sentence in show.sentences]
    names = names_in(split)
    assert names == find_names(sentence.text for sentence in show.sentences)
    assert len(names) > 10
    episodes = [sentence.episode for sentence in show.sentences]
    roles = roles_since(zip(episodes, split, strict=True), names)
    assert roles == role_episodes(show.sentences, names)
    assert roles


def test_a_corpus_pickles_by_columns_and_comes_back_equal_sharing_its_episodes() -> None:
    rows = [(1, 1, "Rawls opens the ledger."), (1, 1, "Vance hides."), (1, 2, "It burns.")]
    sentences = tuple(  # one EpisodeRef object per row, as read from the database
        CorpusSentence(EpisodeRef(season, episode), text) for season, episode, text in rows
    )
    taught = (TaughtPhrase(EpisodeRef(1, 2), "the ledger burns"),)
    show = ShowCorpus(
        7,
        "A Show",
        ("Alias",),
        (*sentences, CorpusSentence(EpisodeRef(0, 0), "x", "premise")),
        taught,
    )
    back = pickle.loads(pickle.dumps(show, pickle.HIGHEST_PROTOCOL))
    assert back == show
    assert back.sentences[0].episode is back.sentences[1].episode
    assert back.sentences[3].kind == "premise"

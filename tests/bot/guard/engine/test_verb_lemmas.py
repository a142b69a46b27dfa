"""The verb rows read from lemminflect's files answer as lemminflect itself does."""

from __future__ import annotations

import gzip

from lemminflect import getAllLemmas

from bot.guard.engine.text import irregular
from bot.guard.engine.verb_lemmas import lemminflect_resources, verb_lemma


def _table_words() -> set[str]:
    """Every word of lemminflect's lemma table and overrides, lower-cased (as the engine asks)."""
    folder = lemminflect_resources()
    with gzip.open(folder / "lemma_lu.csv.gz", "rt", encoding="utf-8") as handle:
        words = {line.split(",", 1)[0].lower() for line in handle}
    overrides = (folder / "lemma_overrides.csv").read_text(encoding="utf-8").splitlines()
    return words | {line.split(",", 1)[0].lower() for line in overrides if "," in line}


def test_every_word_gets_lemminflects_first_verb() -> None:
    differ = []
    for word in sorted(_table_words() | {"hid", "hidden", "lying", "stolen", "zzzx", ""}):
        verbs = getAllLemmas(word, upos="VERB").get("VERB", ())
        expected = str(verbs[0]) if verbs else None
        if verb_lemma(word) != expected:
            differ.append((word, expected, verb_lemma(word)))
    assert differ == []


def test_irregular_forms_meet_their_verb() -> None:
    assert [irregular(w) for w in ("hid", "hidden", "lying", "stolen")] == [
        "hide",
        "hide",
        "lie",
        "steal",
    ]
    assert irregular("arrested") is None  # the suffix stripper finds it

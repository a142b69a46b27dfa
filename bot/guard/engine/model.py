"""What one show's corpus reveals: concepts (names, roles, events, terms) per sentence."""

from __future__ import annotations

import math
import re
import sys
from array import array
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine.analysis import Analyser, word_concepts
from bot.guard.engine.casing import cased, names_in, roles_since
from bot.guard.engine.lexicon import CRAFT_ADVERBS
from bot.guard.engine.sentences import NO_SENTENCES, Sentences
from bot.guard.engine.text import fold, raw_words
from bot.guard.engine.types import CorpusSentence, ShowCorpus, TaughtPhrase

KINDS = ("narration", "premise", "opinion", "verdict", "taught")
KIND_FACTOR = array("f", [1.0, 1.0, 0.8, 0.3, 1.5])
TAUGHT = KINDS.index("taught")
NAME, ROLE, EVENT, TERM, BOUND = "n", "r", "e", "t", "b"
KIND_WEIGHT = {ROLE: 0.6, EVENT: 0.8, BOUND: 1.0}
EPISODE_SPAN = 1 << 20  # episode numbers below this share a key with their season


@dataclass(slots=True, repr=False)
class ShowModel:
    """A show's concept dictionary and posting sets, compact enough for thousands of shows.

    Units (analysed sentences) are numbered in watching order; a concept's posting set is an
    int whose bit u is set when unit u states it, so its lowest bit is where the concept first
    appears and a few integer operations intersect or cut whole sets at once; `first_units` keeps
    that lowest unit per concept, the answer most look-ups want. `kind_units`
    holds the units of each kind the same way, `episode_starts` the first unit of each episode.
    `episode_keys` (season and episode as one number, ascending) and `episode_firsts` (each
    episode's first unit) answer `units_through` with one bisection. `sentences` holds the
    corpus units' texts in one block (`sentences.py`), which a saved model maps from its file
    instead of holding on the heap: only evidence quotes them.
    """

    show_id: int
    title: str
    aliases: tuple[str, ...]
    names: frozenset[str]
    title_words: frozenset[str]
    ids: dict[str, int] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    weights: array[float] = field(default_factory=lambda: array("f"))
    base: array[float] = field(default_factory=lambda: array("f"))
    postings: list[int] = field(default_factory=list)
    first_units: array[int] = field(default_factory=lambda: array("I"))
    unit_episode: list[EpisodeRef] = field(default_factory=list)
    unit_kind: bytearray = field(default_factory=bytearray)
    sentences: Sentences = NO_SENTENCES
    taught: dict[int, str] = field(default_factory=dict)
    roles: dict[str, dict[str, EpisodeRef]] = field(default_factory=dict)
    corpus_units: int = 0
    episode_refs: dict[EpisodeRef, EpisodeRef] = field(default_factory=dict)
    starts: list[tuple[EpisodeRef, int]] = field(default_factory=list)
    kind_units: list[int] = field(default_factory=lambda: [0] * len(KINDS))
    episode_starts: int = 0
    episode_keys: array[int] = field(default_factory=lambda: array("q"))
    episode_firsts: array[int] = field(default_factory=lambda: array("I"))

    def __repr__(self) -> str:
        return f"<ShowModel {self.show_id} {self.title!r}: {self.corpus_units} units>"

    def analyser(self) -> Analyser:
        """The analyser that turns corpus text into this show's concept labels."""
        names = self.names
        return Analyser(lambda word: word_concepts(word, names), self.roles, corpus=True)

    def first_episode(self, concept: int) -> EpisodeRef:
        """The earliest episode any sentence states this concept."""
        return self.unit_episode[self.first_units[concept]]

    def units_through(self, line: EpisodeRef) -> int:
        """The number of corpus units at or before `line` (units are in watching order)."""
        keys = self.episode_keys
        if keys and 0 <= line.episode < EPISODE_SPAN and line.season >= 0:
            at = bisect_right(keys, line.season * EPISODE_SPAN + line.episode)
            firsts = self.episode_firsts
            return self.corpus_units if at == len(firsts) else firsts[at]
        starts = self.episode_units()
        at = bisect_right(starts, (line, sys.maxsize))
        if at == len(starts):
            return self.corpus_units
        return starts[at][1]

    def episode_units(self) -> list[tuple[EpisodeRef, int]]:
        """Each corpus episode with its first unit, in watching order."""
        if not self.starts:
            episodes = self.unit_episode
            self.starts = [
                (episodes[unit], unit)
                for unit in range(self.corpus_units)
                if unit == 0 or episodes[unit] != episodes[unit - 1]
            ]
        return self.starts

    def factor(self, unit: int) -> float:
        """How much a sentence of this kind reveals (narration 1.0, verdict 0.3)."""
        return KIND_FACTOR[self.unit_kind[unit]]

    def text(self, unit: int) -> str:
        """The sentence behind a unit (for evidence)."""
        if unit in self.taught:
            return self.taught[unit]
        return self.sentences[unit]

    def add_taught(self, phrase: TaughtPhrase) -> None:
        """Append a moderator-taught phrase as one more unit (no rebuild)."""
        labels = self.analyser().labels(fold(phrase.phrase), phrase.episode, [])[0]
        self._add_unit(phrase.episode, TAUGHT, sorted(labels), base_weight=None)
        self.taught[len(self.unit_episode) - 1] = phrase.phrase

    def _add_unit(
        self, episode: EpisodeRef, kind: int, labels: list[str], base_weight: float | None
    ) -> None:
        unit = len(self.unit_episode)
        if self.unit_episode and self.unit_episode[-1] == episode:
            episode = self.unit_episode[-1]  # share one object per episode: `is` compares
        else:
            episode = self.episode_refs.setdefault(episode, episode)
        self.unit_episode.append(episode)
        self.unit_kind.append(kind)
        bit = 1 << unit
        self.kind_units[kind] |= bit
        for label in labels:
            concept = self.ids.get(label)
            if concept is None:
                concept = self._new_concept(label, base_weight)
            if not self.postings[concept]:
                self.first_units[concept] = unit
            self.postings[concept] |= bit

    def _new_concept(self, label: str, weight: float | None) -> int:
        concept = len(self.labels)
        label = sys.intern(label)
        self.ids[label] = concept
        self.labels.append(label)
        weight = weight if weight is not None else concept_weight(label, 1, 2)
        self.weights.append(weight)
        self.base.append(weight)
        self.postings.append(0)
        self.first_units.append(0)
        return concept


def lowest(units: int) -> int:
    """The lowest unit in a posting set (0 for an empty set)."""
    return (units & -units).bit_length() - 1 if units else 0


def units_of(units: int) -> list[int]:
    """The units of a posting set, in ascending order."""
    found = []
    while units:
        low = units & -units
        found.append(low.bit_length() - 1)
        units ^= low
    return found


def concept_weight(label: str, frequency: int, total: int) -> float:
    """Names and terms weigh more the rarer they are in the show; events and roles are fixed."""
    kind = label[0]
    if kind in KIND_WEIGHT:
        return KIND_WEIGHT[kind]
    rarity = 1.0 - math.log(1 + frequency) / math.log(1 + max(total, 2))
    if kind == NAME:
        return 0.7 + 0.3 * rarity
    if label[2:].isdigit():
        return 0.3
    return 0.15 + 0.85 * rarity


def build_model(corpus: ShowCorpus) -> ShowModel:
    """Analyse a show's sentences into concept units, earliest episode first."""
    sentences = _ordered(corpus)
    tokens = [cased(s.text) for s in sentences]
    names = names_in(tokens)
    title_words = frozenset(
        w for name in (corpus.title, *corpus.aliases) for w in raw_words(fold(name))
    )
    model = ShowModel(corpus.show_id, corpus.title, corpus.aliases, names, title_words)
    model.roles = roles_since(zip([s.episode for s in sentences], tokens, strict=True), names)
    _index(model, sentences, _analyse_all(model.analyser(), sentences))
    for phrase in corpus.taught:
        model.add_taught(phrase)
    return model


def _analyse_all(analyser: Analyser, sentences: list[CorpusSentence]) -> list[list[str]]:
    carry: list[str] = []
    previous = None
    groups = []
    for sentence in sentences:
        if sentence.episode != previous:
            carry = []
        if sentence.kind in _JUDGEMENTS:  # a critic's judgement borrows no one's names, and
            # 'beautifully shot' is about the filming: a word of craft before an event voids it
            judged = _without_craft(fold(sentence.text))
            labels, _ = analyser.labels(judged, sentence.episode, [])
            groups.append(list(labels))  # `_index` gives concepts their ids in label order
            previous = sentence.episode
            continue
        labels, present = analyser.labels(fold(sentence.text), sentence.episode, carry)
        groups.append(list(labels))
        carry, previous = present or carry, sentence.episode
    return groups


_JUDGEMENTS = frozenset(("opinion", "verdict"))
_CRAFTED = re.compile(rf"\b(?:{'|'.join(sorted(CRAFT_ADVERBS))}) [a-z'-]+")
_CRAFT_ENDINGS = frozenset(f"{word[-2:]} " for word in CRAFT_ADVERBS)  # what `_CRAFTED` needs
_OPENING_SENTENCES = 2


def _without_craft(folded: str) -> str:
    """A judgement with each word of craft and the word after it dropped ('beautifully shot')."""
    if any(ending in folded for ending in _CRAFT_ENDINGS):
        return _CRAFTED.sub("", folded)
    return folded


def _ordered(corpus: ShowCorpus) -> list[CorpusSentence]:
    names = " ".join((corpus.title, *corpus.aliases))
    own = [CorpusSentence(NOTHING, names, "premise"), *_inferred_premise(corpus)]
    return sorted([*own, *corpus.sentences], key=_watching_order)


def _watching_order(sentence: CorpusSentence) -> tuple[int, int]:
    """The order of `EpisodeRef`s, as plain numbers (comparing tuples costs no Python call)."""
    return sentence.episode.season, sentence.episode.episode


def _inferred_premise(corpus: ShowCorpus) -> list[CorpusSentence]:
    """Without a written premise, the first episode's opening sentences stand for one.

    What a trailer tells is roughly how the first recap opens: who, where, which set-up.
    """
    if any(sentence.kind == "premise" for sentence in corpus.sentences):
        return []
    told = [s for s in corpus.sentences if s.episode > NOTHING and s.kind == "narration"]
    if not told:
        return []
    first = min(s.episode for s in told)
    opening = [s for s in told if s.episode == first][:_OPENING_SENTENCES]
    return [CorpusSentence(NOTHING, s.text, "premise") for s in opening]


def _index(model: ShowModel, sentences: list[CorpusSentence], groups: list[list[str]]) -> None:
    frequency: Counter[str] = Counter(label for group in groups for label in group)
    total = len(sentences)
    for label in sorted(frequency):
        model._new_concept(label, concept_weight(label, frequency[label], total))
    kinds = {kind: code for code, kind in enumerate(KINDS)}
    firsts: dict[EpisodeRef, int] = {}
    for sentence, group in zip(sentences, groups, strict=True):
        firsts.setdefault(sentence.episode, len(model.unit_episode))
        model._add_unit(sentence.episode, kinds.get(sentence.kind, 0), group, None)
    model.corpus_units = len(model.unit_episode)
    for start in firsts.values():
        model.episode_starts |= 1 << start
    episodes = sorted(firsts)
    if all(0 <= e.season < 1 << 40 and 0 <= e.episode < EPISODE_SPAN for e in episodes):
        model.episode_keys = array("q", [e.season * EPISODE_SPAN + e.episode for e in episodes])
        model.episode_firsts = array("I", [firsts[e] for e in episodes])
    model.sentences = Sentences.of(sentence.text.replace("\n", " ") for sentence in sentences)

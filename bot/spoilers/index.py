"""The public engine: build from corpora, then check messages against a spoiler line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from bot.episodes import NOTHING, EpisodeRef
from bot.spoilers.lexicon import STOPWORDS
from bot.spoilers.matching import Fact, episode_of, fact_kind, facts, read_message
from bot.spoilers.model import ShowModel, build_model
from bot.spoilers.semantic import SemanticMatcher
from bot.spoilers.text import clean_message, fold, raw_words
from bot.spoilers.types import NOT_A_SPOILER, Evidence, ShowCorpus, TaughtPhrase, Verdict

THRESHOLD = 1.6
KNOWN_MARGIN = 0.0
EPISODE_SHARE = 0.75
MAX_EVIDENCE = 3
_TITLE_FUZZ = 90.0


@dataclass(frozen=True, slots=True)
class SpoilerIndex:
    """What every show's episodes reveal, and the checks that run against it."""

    models: dict[int, ShowModel]
    corpora: dict[int, ShowCorpus]
    known_words: frozenset[str]
    name_owners: dict[str, frozenset[int]] = field(default_factory=dict)
    semantic: SemanticMatcher | None = None

    @classmethod
    def build(
        cls, corpora: Iterable[ShowCorpus], semantic: SemanticMatcher | None = None
    ) -> SpoilerIndex:
        """Analyse every show's corpus (and taught phrases) into an index."""
        by_id = {corpus.show_id: corpus for corpus in corpora}
        models = {show_id: build_model(corpus) for show_id, corpus in by_id.items()}
        return cls._assemble(models, by_id, semantic)

    @classmethod
    def _assemble(
        cls,
        models: dict[int, ShowModel],
        corpora: dict[int, ShowCorpus],
        semantic: SemanticMatcher | None,
    ) -> SpoilerIndex:
        known: set[str] = set()
        owners: dict[str, set[int]] = {}
        for show_id, model in models.items():
            for unit in model.units:
                known.update(raw_words(fold(unit.text)))
            for name in model.names:
                owners.setdefault(name, set()).add(show_id)
        known.difference_update(*(model.names for model in models.values()))
        frozen = {name: frozenset(ids) for name, ids in owners.items()}
        return cls(models, corpora, frozenset(known), frozen, semantic)

    def with_taught(self, show_id: int, phrases: Iterable[TaughtPhrase]) -> SpoilerIndex:
        """A new index where one show also knows these moderator-taught phrases."""
        corpus = self.corpora[show_id]
        updated = replace(corpus, taught=(*corpus.taught, *phrases))
        corpora = {**self.corpora, show_id: updated}
        models = {**self.models, show_id: build_model(updated)}
        return SpoilerIndex._assemble(models, corpora, self.semantic)

    def check(self, text: str, show_id: int, line: EpisodeRef) -> Verdict:
        """Whether `text` reveals anything about the show after `line` (S00E00: nothing seen)."""
        model = self.models.get(show_id)
        if model is None or not isinstance(text, str):
            return NOT_A_SPOILER
        folded = fold(clean_message(text))
        found = self._facts(model, folded)
        novel = [fact for fact in found if episode_of(model, fact) > line]
        known = max((f.score for f in found if episode_of(model, f) <= line), default=0.0)
        strong = [f for f in novel if f.score >= THRESHOLD and f.score > known + KNOWN_MARGIN]
        if not strong:
            best = max((f.score for f in novel), default=0.0)
            return Verdict(False, None, best)
        return self._verdict(model, strong)

    def _facts(self, model: ShowModel, folded: str) -> list[Fact]:
        reading = read_message(model, folded, self.known_words)
        found = facts(model, reading) if reading.concepts else []
        found.extend(self._taught(model, folded))
        return found

    def _taught(self, model: ShowModel, folded: str) -> list[Fact]:
        hits = []
        for index, unit in enumerate(model.units):
            if unit.kind != "taught":
                continue
            phrase = fold(unit.text)
            if fuzz.partial_ratio(phrase, folded) >= 90 and len(phrase) >= 4:
                hits.append(Fact(unit.concepts, index, THRESHOLD * 2))
        return hits

    def _verdict(self, model: ShowModel, strong: list[Fact]) -> Verdict:
        top = max(fact.score for fact in strong)
        close = [fact for fact in strong if fact.score >= top * EPISODE_SHARE]
        episode = min(episode_of(model, fact) for fact in close)
        ranked = sorted(strong, key=lambda f: (episode_of(model, f) != episode, -f.score))
        evidence = tuple(self._evidence(model, fact) for fact in ranked[:MAX_EVIDENCE])
        return Verdict(True, episode, top, evidence)

    def _evidence(self, model: ShowModel, fact: Fact) -> Evidence:
        unit = model.units[fact.unit]
        if unit.kind == "taught":
            return Evidence(unit.episode, unit.text, "taught", fact.score)
        source = fact_kind(model, fact)
        if source == "term":
            (concept,) = fact.concepts
            matched = model.labels[concept][2:]
        else:
            matched = unit.text
        return Evidence(unit.episode, matched, source, fact.score)

    def shows_named(self, text: str) -> list[int]:
        """Shows the text names unambiguously: a title, an alias or a name only one show has."""
        folded = fold(clean_message(text))
        words = set(raw_words(folded))
        named = {show_id for show_id, model in self.models.items() if _names_title(model, folded)}
        for word in words - STOPWORDS:
            owners = self.name_owners.get(word, frozenset())
            if len(owners) == 1 and len(word) >= 3:
                named |= owners
        return sorted(named)

    def first_episode_of(self, show_id: int, text: str) -> EpisodeRef | None:
        """The earliest episode whose revealed names or events appear in `text` (None: none)."""
        verdict = self.check(text, show_id, NOTHING)
        return verdict.episode if verdict.spoiler else None


def _names_title(model: ShowModel, folded: str) -> bool:
    for name in (model.title, *model.aliases):
        key = " ".join(raw_words(fold(name)))
        if not key or key in STOPWORDS:
            continue
        if re.search(rf"\b{re.escape(key)}\b", " ".join(raw_words(folded))):
            return True
        if len(key) >= 8 and fuzz.partial_ratio(key, folded) >= _TITLE_FUZZ:
            return True
    return False

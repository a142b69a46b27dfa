"""The public engine: build from corpora, then check messages against a spoiler line."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine.dating import MAX_EVIDENCE, including, last_dating, says_more, with_last
from bot.guard.engine.dating import fact_evidence as _evidence
from bot.guard.engine.fingerprint import engine_fingerprint
from bot.guard.engine.lexicon import STOPWORDS
from bot.guard.engine.matching import (
    Fact,
    Reader,
    facts,
    increment,
    known_relations,
    lone_name,
)
from bot.guard.engine.matching import reveals as _reveals
from bot.guard.engine.model import TERM, ShowModel, build_model
from bot.guard.engine.paraphrase import paraphrased
from bot.guard.engine.semantic import SemanticMatcher
from bot.guard.engine.text import fold, fold_message, raw_words
from bot.guard.engine.types import NOT_A_SPOILER, ShowCorpus, TaughtPhrase, Verdict
from bot.guard.engine.verifier import Verifier, lexical_features, read_cues
from bot.guard.engine.weak_facts import (
    _THRESHOLDS,
    MIN_INCREMENT,
    PART_FLOOR,
    THRESHOLD,
    _combined,
    _paraphrase_verdict,
    _score,
    _signalled,
)
from bot.guard.engine.word_screen import WordScreen

GENERIC_PENALTY = 0.7
EPISODE_SHARE = 0.5
TAUGHT_FUZZ = 90.0
_TITLE_FUZZ = 90.0


@dataclass(frozen=True, slots=True, repr=False)
class SpoilerIndex:
    """What every show's episodes reveal, and the checks that run against it."""

    models: dict[int, ShowModel]
    known_words: frozenset[str]
    name_owners: dict[str, frozenset[int]] = field(default_factory=dict)
    semantic: SemanticMatcher | None = None
    readers: dict[int, Reader] = field(default_factory=dict)
    screen: WordScreen | None = field(default=None, compare=False, repr=False)
    safe: dict[int, frozenset[str]] = field(default_factory=dict)
    verifier: Verifier | None = None

    def __post_init__(self) -> None:
        if self.screen is None:  # shared with every index derived by `with_taught`
            titles = frozenset().union(*(model.title_words for model in self.models.values()))
            screen = WordScreen(self.name_owners, self.known_words, titles)
            object.__setattr__(self, "screen", screen)

    def __repr__(self) -> str:
        # short: asyncio reprs a finished task's result (Python 3.11 does at every asyncio.run)
        return f"<SpoilerIndex of {len(self.models)} shows>"

    @classmethod
    def build(
        cls, corpora: Iterable[ShowCorpus], semantic: SemanticMatcher | None = None
    ) -> SpoilerIndex:
        """Analyse every show's corpus (and taught phrases) into an index."""
        models = {corpus.show_id: build_model(corpus) for corpus in corpora}
        return cls._assemble(models, semantic)

    @classmethod
    def from_models(cls, models: dict[int, ShowModel]) -> SpoilerIndex:
        """An index of shows analysed earlier (their cross-show weights are redone in place)."""
        return cls._assemble(models, None)

    @classmethod
    def _assemble(
        cls, models: dict[int, ShowModel], semantic: SemanticMatcher | None
    ) -> SpoilerIndex:
        spread: Counter[str] = Counter()
        owners: dict[str, set[int]] = {}
        for show_id, model in models.items():
            spread.update(label[2:] for label in model.labels if label[0] == TERM)
            for name in model.names:
                owners.setdefault(name, set()).add(show_id)
        for model in models.values():
            _penalise_common_terms(model, spread, len(models))
        known = frozenset(spread) - owners.keys()
        frozen = {name: frozenset(ids) for name, ids in owners.items()}
        _prepare(models, semantic)
        return cls(models, known, frozen, semantic)

    def save(self, path: Path) -> None:
        """Write the index to a local cache file (a pickle: only load files you wrote)."""
        state = (engine_fingerprint(), self.models, self.known_words, self.name_owners)
        with path.open("wb") as handle:
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: Path, semantic: SemanticMatcher | None = None) -> SpoilerIndex:
        """Read an index written by `save` (raises ValueError if other engine code wrote it)."""
        with path.open("rb") as handle:
            state = pickle.load(handle)
        if not isinstance(state, tuple) or state[0] != engine_fingerprint():
            raise ValueError(f"{path} is not a spoiler index of engine {engine_fingerprint()}")
        _engine, models, known_words, name_owners = state
        _prepare(models, semantic)
        return cls(models, known_words, name_owners, semantic)

    def with_semantic(self, semantic: SemanticMatcher | None) -> SpoilerIndex:
        """A new index checking with this paraphrase layer (prepared here), or without one."""
        _prepare(self.models, semantic)
        return self._derived(semantic=semantic)

    def with_verifier(self, verifier: Verifier | None) -> SpoilerIndex:
        """A new index deciding with this verifier, or by the lexical rules alone (None)."""
        return self._derived(verifier=verifier)

    def with_taught(self, show_id: int, phrases: Iterable[TaughtPhrase]) -> SpoilerIndex:
        """A new index where one show also knows these moderator-taught phrases (no rebuild)."""
        model = copy.deepcopy(self.models[show_id])
        for phrase in phrases:
            model.add_taught(phrase)
        return self._derived(models={**self.models, show_id: model})

    def with_safe(self, show_id: int, phrases: Iterable[str]) -> SpoilerIndex:
        """A new index where these exact messages are never a spoiler of one show.

        Narrow on purpose ("Not a spoiler" by a moderator): a message is safe only when its
        whole text, folded as `check` folds it and with whitespace collapsed, equals a phrase.
        """
        keys = self.safe.get(show_id, frozenset()) | {safe_key(p) for p in phrases}
        return self._derived(safe={**self.safe, show_id: frozenset(keys)})

    def _derived(self, **changes: Any) -> SpoilerIndex:
        """A new index with some fields changed: the same word screen, fresh readers."""
        return dataclasses.replace(self, readers={}, **changes)

    def _reader(self, model: ShowModel) -> Reader:
        reader = self.readers.get(model.show_id)
        if reader is None or reader.model is not model:
            reader = self.readers[model.show_id] = Reader(model, self.known_words, self.screen)
        return reader

    def check(self, text: str, show_id: int, line: EpisodeRef) -> Verdict:
        """Whether `text` reveals anything about the show after `line` (S00E00: nothing seen).

        A spoiler's `last` is settled: checked again at it, the text is no spoiler.
        """
        verdict = self._judge(text, show_id, line)
        if not verdict.spoiler:
            return verdict
        return self._settled(text, show_id, verdict)

    def last_revealed(self, text: str, show_id: int, line: EpisodeRef) -> EpisodeRef | None:
        """The last episode after `line` the text reveals, weak evidence included (None: none).

        What an author's own label is checked against: unlike `check`, a weak match or a bare
        name alone is enough to move it later.
        """
        verdict = self.check(text, show_id, line)
        if verdict.spoiler:
            return verdict.label_episode
        model = self.models.get(show_id)
        if model is None or not isinstance(text, str):
            return None
        folded = fold_message(text)
        concepts = self._reader(model).concepts(folded)
        end = model.units_through(line)
        novel = [f for f in self._facts(model, folded, concepts, line, end) if f.episode > line]
        dated = last_dating(model, [], novel, line, end, _THRESHOLDS)
        if dated is None:
            return None
        settled = self.check(text, show_id, dated.episode)
        return settled.label_episode if settled.spoiler else dated.episode

    def _settled(self, text: str, show_id: int, verdict: Verdict) -> Verdict:
        """The verdict with `last` moved on until the text, checked at it, spoils nothing.

        Each step checks the text again at the candidate label: what is still new there moves
        the label to its own episode (or later, when dated imprecisely: `dating.py`).
        """
        last = verdict.label_episode
        evidence = verdict.evidence
        while last is not None:
            again = self._judge(text, show_id, last)
            later = again.label_episode
            if not again.spoiler or later is None or later <= last:
                break
            last = later
            item = next((e for e in again.evidence if e.episode == later), again.evidence[0])
            evidence = including(evidence, item, MAX_EVIDENCE)
        if last == verdict.last:
            return verdict
        return Verdict(True, verdict.episode, verdict.score, evidence, last)

    def _judge(self, text: str, show_id: int, line: EpisodeRef) -> Verdict:
        """`check` before `last` is settled (dated late here only when the dating is imprecise)."""
        model = self.models.get(show_id)
        if model is None or not isinstance(text, str):
            return NOT_A_SPOILER
        folded = fold_message(text)
        if self.safe and " ".join(folded.split()) in self.safe.get(show_id, ()):
            return NOT_A_SPOILER  # a moderator said this exact message is not a spoiler
        reader = self.readers.get(show_id)
        if reader is None or reader.model is not model:
            reader = self._reader(model)
        concepts = reader.concepts(folded)
        if not concepts and reader.untaught:
            return NOT_A_SPOILER  # nothing the show knows: no fact, every score 0
        end = model.units_through(line)
        found = self._facts(model, folded, concepts, line, end)
        if self.verifier is not None and concepts:
            similar = self.verifier.semantic
            proposal = self._proposal(model, folded, concepts, found, (line, end), similar)
            return self._verified(model, proposal, (line, end), self.verifier)
        if not found and self.semantic is None:  # nothing below flags without a fact
            return NOT_A_SPOILER
        return self._rules(model, folded, concepts, found, line, end)

    def _verified(
        self,
        model: ShowModel,
        proposal: tuple[Verdict, list[Fact], list[float]] | None,
        place: tuple[EpisodeRef, int],
        verifier: Verifier,
    ) -> Verdict:
        """The rules propose, the learned verifier decides (`verifier.py`)."""
        if proposal is None:
            return NOT_A_SPOILER  # nothing after the line to state
        rules, novel, values = proposal
        if not verifier.flags(values):
            return Verdict(False, None, rules.score)
        if rules.spoiler:
            return rules
        best = max(novel, key=_score)
        verdict = Verdict(True, best.episode, best.score, (_evidence(model, best),))
        return with_last(model, verdict, [best], novel, place, _THRESHOLDS, False)

    def _proposal(
        self,
        model: ShowModel,
        folded: str,
        concepts: dict[int, str],
        found: list[Fact],
        place: tuple[EpisodeRef, int],
        similar: bool,
    ) -> tuple[Verdict, list[Fact], list[float]] | None:
        """The rules' verdict, every revealing fact after the line, and the verifier's features.

        None when no fact after the line reveals anything: there is nothing to verify.
        """
        line, end = place
        weak = facts(model, concepts, folded, end, 0.0)
        if model.taught:
            weak.extend(_taught(model, folded))
        novel = [f for f in weak if f.episode > line and _reveals(model, f, line, end)]
        if not novel:
            return None
        rules = self._rules(model, folded, concepts, found, line, end)
        values = lexical_features(model, concepts, read_cues(folded), weak, rules, place)
        if similar:
            values.extend(self._similarity(model, folded, end))
        return rules, novel, values

    def features(
        self, text: str, show_id: int, line: EpisodeRef, similar: bool = False
    ) -> list[float] | None:
        """The verifier's features for a message (None: it does not reach the verifier)."""
        model = self.models.get(show_id)
        if model is None:
            return None
        folded = fold_message(text)
        concepts = self._reader(model).concepts(folded)
        if not concepts:
            return None
        end = model.units_through(line)
        found = self._facts(model, folded, concepts, line, end)
        proposal = self._proposal(model, folded, concepts, found, (line, end), similar)
        return None if proposal is None else proposal[2]

    def _similarity(self, model: ShowModel, folded: str, end: int) -> list[float]:
        """The best cosine to a later sentence, to a watched one, and the lead of the first."""
        if self.semantic is None:
            return [0.0, 0.0, 0.0]
        scores = self.semantic.similarities(model.show_id, folded)
        later = max((float(s) for s in scores[end : model.corpus_units]), default=0.0)
        watched = max((float(s) for s in scores[:end]), default=0.0)
        return [later, watched, later - watched]

    def _rules(
        self,
        model: ShowModel,
        folded: str,
        concepts: dict[int, str],
        found: list[Fact],
        line: EpisodeRef,
        end: int,
    ) -> Verdict:
        """The lexical rules' verdict on the facts found."""
        # a corpus fact is dated after the line: only taught ones can be dated before it
        novel = [fact for fact in found if fact.episode > line] if model.taught else found
        strong = []
        for fact in novel:  # a plain loop: cheaper than a comprehension on this path
            if (
                (fact.score >= THRESHOLD or lone_name(model, fact))
                and increment(model, fact, end) >= MIN_INCREMENT
                and _reveals(model, fact, line, end)
            ):
                strong.append(fact)
        precise = any(says_more(model, fact) for fact in strong)  # dates it: no erring late
        if not strong:
            strong = _combined(model, novel, line, end)
        if not strong:
            strong = _signalled(model, folded, concepts, novel, line, end)
        if not strong and self.semantic is not None:
            said = paraphrased(model, self.semantic, folded, concepts, line, end)
            if said is not None:
                return _paraphrase_verdict(model, said, novel, line, end)
        if not strong:
            return Verdict(False, None, max(map(_score, novel), default=0.0))
        verdict = self._verdict(model, strong)
        return with_last(model, verdict, strong, novel, (line, end), _THRESHOLDS, precise)

    def _facts(
        self, model: ShowModel, folded: str, concepts: dict[int, str], line: EpisodeRef, end: int
    ) -> list[Fact]:
        known_relations(model, concepts, line)
        found = facts(model, concepts, folded, end, PART_FLOOR) if concepts else []
        if model.taught:
            found.extend(_taught(model, folded))
        return found

    def _verdict(self, model: ShowModel, strong: list[Fact]) -> Verdict:
        if len(strong) == 1:
            (fact,) = strong
            return Verdict(True, fact.episode, fact.score, (_evidence(model, fact),))
        top = max(fact.score for fact in strong)
        close = [fact for fact in strong if fact.score >= top * EPISODE_SHARE]
        episode = min(fact.episode for fact in close)
        ranked = sorted(strong, key=lambda f: (f.episode != episode, -f.score))
        evidence = tuple(_evidence(model, fact) for fact in ranked[:MAX_EVIDENCE])
        return Verdict(True, episode, top, evidence)

    def shows_named(self, text: str) -> list[int]:
        """Shows the text names unambiguously: a title, an alias or a name only one show has."""
        folded = fold_message(text)
        words = " ".join(raw_words(folded))
        named = {show_id for show_id, model in self.models.items() if _names_title(model, words)}
        for word in set(words.split()) - STOPWORDS:
            owners = self.name_owners.get(word, frozenset())
            if len(owners) == 1 and len(word) >= 3:
                named |= owners
        return sorted(named)

    def first_episode_of(self, show_id: int, text: str) -> EpisodeRef | None:
        """The earliest episode whose revealed names or events appear in `text` (None: none)."""
        verdict = self.check(text, show_id, NOTHING)
        return verdict.episode if verdict.spoiler else None


def _prepare(models: dict[int, ShowModel], semantic: SemanticMatcher | None) -> None:
    """Give the paraphrase layer every show's corpus sentences, in unit order."""
    if semantic is None:
        return
    for show_id, model in models.items():
        semantic.prepare(show_id, [model.text(unit) for unit in range(model.corpus_units)])
    semantic.flush()


def _penalise_common_terms(model: ShowModel, spread: Counter[str], shows: int) -> None:
    for concept, label in enumerate(model.labels):
        if label[0] == TERM and shows > 1:
            share = (spread[label[2:]] - 1) / (shows - 1)
            model.weights[concept] = model.base[concept] * (1.0 - GENERIC_PENALTY * share**0.5)


def safe_key(text: str) -> str:
    """How a safe phrase and a message are compared: folded, whitespace collapsed."""
    return " ".join(fold_message(text).split())


def _taught(model: ShowModel, folded: str) -> list[Fact]:
    hits = []
    for unit, phrase in model.taught.items():
        key = fold(phrase)
        if len(key) >= 4 and fuzz.partial_ratio(key, folded) >= TAUGHT_FUZZ:
            hits.append(Fact(frozenset(), unit, model.unit_episode[unit], THRESHOLD * 2))
    return hits


def _names_title(model: ShowModel, words: str) -> bool:
    for name in (model.title, *model.aliases):
        key = " ".join(raw_words(fold(name)))
        if not key or key in STOPWORDS:
            continue
        if re.search(rf"\b{re.escape(key)}\b", words):
            return True
        if len(key) >= 8 and fuzz.partial_ratio(key, words) >= _TITLE_FUZZ:
            return True
    return False
